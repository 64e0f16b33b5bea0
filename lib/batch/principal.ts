// Who a batch line runs as: the key the batch was created with (its limits, in the batch lane),
// or, for a batch made in the console, the workspace itself with no key limits.
import { eq } from "drizzle-orm";
import { batchJobs, workspaces } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import type { Gateway } from "@/lib/gateway/gateway";
import type { KeyPrincipal } from "@/lib/gateway/keys";
import { verifyBatchCredential } from "./credential";

type BatchRow = { apiKeyId: string | null; workspaceId: string; residencyPolicy: string; requestLogDays: number | null };

// Every line of a batch asks for the same row: kept for 2 s, like keys (the key itself is still
// checked through the key cache, so a revoked key stops the lines as fast as API traffic).
const cache = new Map<string, { row: BatchRow | undefined; at: number }>();

async function batchRow(gw: Gateway, batchId: string): Promise<BatchRow | undefined> {
  const hit = cache.get(batchId);
  if (hit && Date.now() - hit.at < 2_000) return hit.row;
  const [row] = await gw.db
    .select({ apiKeyId: batchJobs.apiKeyId, workspaceId: batchJobs.workspaceId, residencyPolicy: workspaces.residencyPolicy, requestLogDays: workspaces.requestLogDays })
    .from(batchJobs)
    .innerJoin(workspaces, eq(workspaces.id, batchJobs.workspaceId))
    .where(eq(batchJobs.id, batchId))
    .limit(1);
  if (cache.size > 10_000) cache.clear();
  cache.set(batchId, { row, at: Date.now() });
  return row;
}

export async function batchPrincipal(gw: Gateway, header: string): Promise<{ key: KeyPrincipal; batchId: string }> {
  const batchId = verifyBatchCredential(gw.secret, header);
  if (!batchId) throw new BoraError("unauthorized:batch", "Invalid batch credential.");
  const row = await batchRow(gw, batchId);
  if (!row) throw new BoraError("unauthorized:batch", "This batch no longer exists.");
  if (row.apiKeyId) return { key: await gw.keys.resolveById(row.apiKeyId), batchId };
  const key: KeyPrincipal = { id: null, name: "console batch", workspaceId: row.workspaceId, allowedModels: null, residencyPolicy: row.residencyPolicy, requestLogDays: row.requestLogDays, hashedSecret: "", expiresAt: null, revokedAt: null };
  return { key, batchId };
}
