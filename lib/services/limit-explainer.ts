// Which limit would stop a key's next request on a model, and the headroom at every level. For
// the key's page and the management API; reads the counters of this process's gateway (shared
// through Redis when several replicas run).
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, models } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { BoraError } from "@/lib/errors";
import { loadPrincipal } from "@/lib/gateway/keys";
import { currentLimits } from "@/lib/gateway/limits";
import { explainLimits, type Headroom } from "@/lib/gateway/limits/explain";
import { costNanos } from "@/lib/gateway/resolve-model";
import type { WorkspaceContext } from "./context";

export const explainInput = z.object({
  // The key's id or its prefix.
  key: z.string().trim().min(1, "Choose a key."),
  model: z.string().trim().min(1, "Choose a model."),
  // The size of the request to check: prompt plus completion tokens.
  tokens: z.coerce.number().int().min(1).max(10_000_000).default(1000),
});

export type Explanation = { levels: Headroom[]; state: "ok" | "revoked" | "expired" | "model_not_allowed"; estimatedCostUsd: number };

export async function explainKeyLimits(db: Db, ctx: WorkspaceContext, raw: z.input<typeof explainInput>): Promise<Explanation> {
  const input = explainInput.parse(raw);
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(input.key);
  const key = await loadPrincipal(db, and(byId ? eq(apiKeys.id, input.key) : eq(apiKeys.prefix, input.key), eq(apiKeys.workspaceId, ctx.workspace.id))!);
  if (!key) throw new BoraError("not_found:api_key", "No key with this id or prefix in the workspace.", { param: "key" });
  const [model] = await db.select().from(models).where(eq(models.alias, input.model)).limit(1);
  if (!model) throw new BoraError("not_found:model", `Unknown model: ${input.model}.`, { param: "model" });
  const limits = currentLimits();
  if (!limits) throw new BoraError("unavailable:limits", "The gateway is not running in this process, so its counters cannot be read.");
  // Assume the request's tokens split like a chat turn: a quarter prompt, the rest completion.
  const prompt = Math.round(input.tokens / 4);
  const cost = costNanos(model, prompt, input.tokens - prompt);
  const levels = await explainLimits(limits, db, key, input.model, { tokens: input.tokens, costNanos: cost });
  const state = key.revokedAt ? "revoked" : key.expiresAt && key.expiresAt.getTime() <= Date.now() ? "expired" : key.allowedModels && !key.allowedModels.includes(input.model) ? "model_not_allowed" : "ok";
  return { levels, state, estimatedCostUsd: cost / 1e9 };
}
