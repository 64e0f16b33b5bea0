// A workspace's own limits, over all its keys (and the playground and console batches): per-model
// requests and tokens per minute ("*" for all models together) and the monthly spend cap with
// its alert thresholds. Cached briefly like keys, and dropped at once when changed here.
import { eq } from "drizzle-orm";
import { workspaceModelLimits, workspaces } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { on } from "@/lib/events";
import { RefreshingCache } from "../refreshing-cache";

export type WorkspaceLimitSet = {
  models: Record<string, { rpm: number | null; tpm: number | null }>;
  spendCapNanos: number | null;
  thresholds: number[];
  webhookUrl: string | null;
  webhookSecretSealed: string | null;
  timeZone: string;
};

const maxAgeMs = 2_000;

export class WorkspaceLimits {
  private readonly cache = new RefreshingCache((workspaceId) => this.load(workspaceId), maxAgeMs);

  constructor(private readonly db: Db) {
    on("workspace.limits.changed", (id) => this.cache.delete(id));
  }

  async get(workspaceId: string): Promise<WorkspaceLimitSet | null> {
    return this.cache.get(workspaceId);
  }

  private async load(workspaceId: string): Promise<WorkspaceLimitSet | null> {
    const [ws] = await this.db.select().from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
    if (!ws) return null;
    const rows = await this.db.select().from(workspaceModelLimits).where(eq(workspaceModelLimits.workspaceId, workspaceId));
    return {
      models: Object.fromEntries(rows.map((r) => [r.model, { rpm: r.rpm, tpm: r.tpm }])),
      spendCapNanos: ws.monthlySpendCapNanos,
      thresholds: ws.budgetThresholds,
      webhookUrl: ws.budgetWebhookUrl,
      webhookSecretSealed: ws.budgetWebhookSecretSealed,
      timeZone: ws.timeZone,
    };
  }
}

/** True when the workspace limits anything a request could hit. */
export function limitsAnything(set: WorkspaceLimitSet | null): set is WorkspaceLimitSet {
  return Boolean(set && (set.spendCapNanos || Object.values(set.models).some((m) => m.rpm || m.tpm)));
}
