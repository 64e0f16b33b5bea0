// Where usage queries read their rows: the rollup and histogram tables of each granularity, and
// a range read from the coarsest of them that fit (lib/usage/granularity.ts's coverRange) as
// one UNION ALL subquery. lib/services/usage-query.ts sums what these give.
import { and, eq, getTableColumns, gte, lt, sql, type SQL } from "drizzle-orm";
import type { SubqueryWithSelection } from "drizzle-orm/pg-core";
import {
  usageLatencyDaily,
  usageLatencyHourly,
  usageLatencyMinute,
  usageLatencyWorkspaceDaily,
  usageLatencyWorkspaceHourly,
  usageLatencyWorkspaceMinute,
  usageRollups,
  usageRollupsDaily,
  usageRollupsMinute,
  type LatencyTable,
  type RollupTable,
  type WorkspaceLatencyTable,
} from "@/db/schema";
import { coverRange, type Granularity, type RangePiece } from "@/lib/usage/granularity";
import type { Executor } from "./context";
import type { UsageQuery } from "./usage-query";

type RangeTable = RollupTable | LatencyTable | WorkspaceLatencyTable;
type SourceQuery = Pick<UsageQuery, "workspaceId" | "from" | "to" | "table" | "bucket" | "splitAt" | "filters">;

export type UsageFilters = { keyId?: string; model?: string };

export function whereRange(t: RangeTable, q: Pick<UsageQuery, "workspaceId" | "from" | "to" | "filters">): SQL {
  const byKeyModel = "apiKeyId" in t;
  if (!byKeyModel && (q.filters?.keyId || q.filters?.model)) throw new Error("workspace histograms cannot be filtered by key or model");
  return and(
    eq(t.workspaceId, q.workspaceId),
    gte(t.bucket, q.from),
    lt(t.bucket, q.to),
    byKeyModel && q.filters?.keyId ? eq(t.apiKeyId, q.filters.keyId) : undefined,
    byKeyModel && q.filters?.model ? eq(t.model, q.filters.model) : undefined,
  )!;
}

export function rollupTableFor(g: Granularity): RollupTable {
  return g === "minute" ? usageRollupsMinute : g === "hour" ? usageRollups : usageRollupsDaily;
}

export function latencyTableFor(g: Granularity): LatencyTable {
  return g === "minute" ? usageLatencyMinute : g === "hour" ? usageLatencyHourly : usageLatencyDaily;
}

export function workspaceLatencyTableFor(g: Granularity): WorkspaceLatencyTable {
  return g === "minute" ? usageLatencyWorkspaceMinute : g === "hour" ? usageLatencyWorkspaceHourly : usageLatencyWorkspaceDaily;
}

/** The pieces a query reads: its range covered by the coarsest buckets that fit, cut at splitAt. */
function piecesOf(q: Pick<UsageQuery, "from" | "to" | "table" | "bucket" | "splitAt">): RangePiece[] {
  const coarsest = q.bucket ?? "day";
  const cuts = q.splitAt ? [q.from, q.splitAt, q.to] : [q.from, q.to];
  const pieces = cuts.slice(1).flatMap((to, i) => coverRange(cuts[i]!, to, q.table, coarsest));
  // Pieces of one unit that meet at splitAt make one scan: both are aligned to that unit, so
  // none of its buckets straddles the split.
  return pieces.reduce<RangePiece[]>((out, p) => {
    const last = out.at(-1);
    if (last && last.unit === p.unit && last.to.getTime() === p.from.getTime()) out[out.length - 1] = { ...last, to: p.to };
    else out.push(p);
    return out;
  }, []);
}

/**
 * The rows of the query's range, from one table family read at several granularities (a day
 * from the daily table, the edge hours from the hourly one…): one UNION ALL subquery `u`, each
 * branch a range scan of its table's (workspace_id, bucket, …) index.
 */
export function source<T extends RangeTable>(db: Executor, q: SourceQuery, tableFor: (g: Granularity) => T): SubqueryWithSelection<T["_"]["columns"], "u"> {
  const pieces = piecesOf(q);
  const branch = (p: RangePiece | null) => {
    // Typed as one family for the builder (the generic table defeats drizzle's types); the
    // three tables of a family have the same columns.
    const t = tableFor(p?.unit ?? q.table) as RollupTable;
    const query = db.select(getTableColumns(t)).from(t);
    // An empty range still gives a (rowless) source.
    return query.where(p ? whereRange(t, { ...q, from: p.from, to: p.to }) : sql`false`).$dynamic();
  };
  let union = branch(pieces[0] ?? null);
  for (const p of pieces.slice(1)) union = union.unionAll(branch(p));
  return union.as("u") as unknown as SubqueryWithSelection<T["_"]["columns"], "u">;
}

/**
 * Runs a read of the rollups with settings for it, for this transaction only:
 * - no parallel workers: its scans are of thousands to tens of thousands of rows, where starting
 *   workers costs more than they save, several times more on a busy server (30-day totals: 49 ms
 *   alone, 330 ms with two workers on the usage benchmark's machine under load);
 * - 16 MB of work_mem instead of 4: the grouping sets of a 30-day overview stacked by key (some
 *   2,500 groups) then hash in memory instead of sorting through disk (69 ms instead of 164).
 */
export function readRollups<T>(db: Executor, read: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // One round trip for both (set_config's third argument: local to the transaction).
    await tx.execute(sql`select set_config('max_parallel_workers_per_gather', '0', true), set_config('work_mem', '16MB', true)`);
    return read(tx);
  });
}

/** The rollup (sums) rows of the query's range: one subquery `u` over the coarsest tables that fit. */
export function rollupSource(db: Executor, q: SourceQuery) {
  return source(db, q, rollupTableFor);
}

