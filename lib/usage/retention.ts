// Raw usage events are kept for each workspace's `usage_raw_retention_days` (default 90), then
// pruned; minute rollups for three days. Hour and day rollups are kept: dashboards and the usage
// API never need the raw events of an old range. Deletes go in bounded batches (each its own
// short statement, through the (workspace_id, created_at) index) so a first prune of a large
// backlog never holds locks or bloats one transaction; what is left waits for the next run.
import { sql } from "drizzle-orm";
import { workspaces } from "@/db/schema";
import type { Executor } from "@/lib/services/context";
import { minuteRetentionDays } from "./granularity";

const dayMs = 86_400_000;

// minuteRollups: rows of the minute sums and minute histograms (by key × model and by workspace) together.
export type PruneResult = { events: number; minuteRollups: number };

export async function pruneUsage(db: Executor, opts: { now?: Date; batchSize?: number; maxBatches?: number } = {}): Promise<PruneResult> {
  const now = (opts.now ?? new Date()).getTime();
  const batchSize = opts.batchSize ?? 10_000;
  let budget = opts.maxBatches ?? 200;
  const result: PruneResult = { events: 0, minuteRollups: 0 };
  const all = await db.select({ id: workspaces.id, days: workspaces.usageRawRetentionDays }).from(workspaces);
  const minuteCutoff = new Date(now - minuteRetentionDays * dayMs).toISOString();
  for (const ws of all) {
    const cutoff = new Date(now - ws.days * dayMs).toISOString();
    for (; budget > 0; budget--) {
      const gone = await db.execute(sql`delete from usage_events where id in (select id from usage_events where workspace_id = ${ws.id} and created_at < ${cutoff}::timestamptz limit ${batchSize}) returning 1`);
      const n = rowCount(gone);
      result.events += n;
      if (n < batchSize) break;
    }
    for (const table of [sql.raw("usage_rollups_minute"), sql.raw("usage_latency_minute"), sql.raw("usage_latency_workspace_minute")]) {
      for (; budget > 0; budget--) {
        const gone = await db.execute(sql`delete from ${table} where ctid in (select ctid from ${table} where workspace_id = ${ws.id} and bucket < ${minuteCutoff}::timestamptz limit ${batchSize}) returning 1`);
        const n = rowCount(gone);
        result.minuteRollups += n;
        if (n < batchSize) break;
      }
    }
  }
  return result;
}

// postgres.js returns the rows as an array; PGlite an object with `rows`.
function rowCount(r: unknown): number {
  if (Array.isArray(r)) return r.length;
  return (r as { rows?: unknown[] }).rows?.length ?? 0;
}
