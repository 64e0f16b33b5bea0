// Usage read from the rollups only (never raw events): totals and time series grouped by any of
// the rollups' dimensions, at minute, hour or day granularity, with latency and time-to-first-
// token percentiles from the summed histograms. The dashboard and GET /v1/usage both use it.
import { inArray, sql, type SQLWrapper } from "drizzle-orm";
import { apiKeys, noKey, noProvider, providers } from "@/db/schema";
import type { Granularity } from "@/lib/usage/granularity";
import { histogramBounds, histogramFrom, quantile } from "@/lib/usage/histogram";
import type { Executor } from "./context";
import { latencyTableFor, rollupSource, source, workspaceLatencyTableFor, readRollups, type UsageFilters } from "./usage-source";

export const dimensions = ["model", "key", "provider", "endpoint", "origin"] as const;
export type Dimension = (typeof dimensions)[number];

export type UsageQuery = {
  workspaceId: string;
  from: Date;
  to: Date;
  /**
   * The finest rollup tables read: a range must be aligned to them (bounds are not cut inside a
   * bucket). Coarser ones serve whole buckets of theirs (coverRange), up to `bucket`.
   */
  table: Granularity;
  /** Buckets of the result; null for one row per group over the whole range. */
  bucket?: Granularity | null;
  groupBy?: Dimension[];
  filters?: UsageFilters;
  /** Sum the histograms too, for p50/p95 (the costliest part: only where they are shown). */
  percentiles?: boolean;
  /** Split the range in two at this time (rows get `current`): a period and the one before, in one scan. */
  splitAt?: Date;
};

export type UsageRow = {
  bucket: Date | null;
  /** With splitAt: whether the row sums the part from splitAt on. */
  current?: boolean;
  group: Partial<Record<Dimension, string>>;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cost: number;
  avgLatencyMs: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  avgTtftMs: number | null;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
};

type RollupSource = ReturnType<typeof rollupSource>;

function dimensionColumn(t: RollupSource, d: Dimension) {
  return { model: t.model, key: t.apiKeyId, provider: t.providerId, endpoint: t.endpoint, origin: t.origin }[d];
}

// Histograms summed bucket by bucket with native sum() over array subscripts: several times
// faster than the bora_hist_sum aggregate (PL/pgSQL, one call per row) over thousands of rows.
const bucketCount = histogramBounds.length + 1;
function histSum(col: SQLWrapper) {
  return sql<unknown>`array[${sql.join(
    Array.from({ length: bucketCount }, (_, i) => sql`coalesce(sum(${col}[${sql.raw(String(i + 1))}]), 0)`),
    sql`, `,
  )}]`;
}

export function sums(t: Pick<RollupSource, "requests" | "errors" | "promptTokens" | "completionTokens" | "costNanos" | "latencyMsSum" | "ttftMsSum" | "streamed">) {
  return {
    requests: sql<string>`coalesce(sum(${t.requests}), 0)`,
    errors: sql<string>`coalesce(sum(${t.errors}), 0)`,
    promptTokens: sql<string>`coalesce(sum(${t.promptTokens}), 0)`,
    completionTokens: sql<string>`coalesce(sum(${t.completionTokens}), 0)`,
    costNanos: sql<string>`coalesce(sum(${t.costNanos}), 0)`,
    latency: sql<string>`coalesce(sum(${t.latencyMsSum}), 0)`,
    ttft: sql<string>`coalesce(sum(${t.ttftMsSum}), 0)`,
    streamed: sql<string>`coalesce(sum(${t.streamed}), 0)`,
  };
}

export type SumRow = { requests: string | number; errors: string | number; promptTokens: string | number; completionTokens: string | number; costNanos: string | number; latency: string | number; ttft: string | number; streamed: string | number; latencyHist?: unknown; ttftHist?: unknown };

export function metricsOf(r: SumRow | undefined): Omit<UsageRow, "bucket" | "group"> {
  const n = (v: string | number | undefined) => Number(v ?? 0);
  const requests = n(r?.requests);
  const latency = histogramFrom(r?.latencyHist);
  const ttft = histogramFrom(r?.ttftHist);
  return {
    requests,
    errors: n(r?.errors),
    promptTokens: n(r?.promptTokens),
    completionTokens: n(r?.completionTokens),
    cost: n(r?.costNanos) / 1e9,
    avgLatencyMs: requests ? n(r?.latency) / requests : null,
    p50LatencyMs: quantile(latency, 0.5),
    p95LatencyMs: quantile(latency, 0.95),
    avgTtftMs: n(r?.streamed) ? n(r?.ttft) / n(r?.streamed) : null,
    p50TtftMs: quantile(ttft, 0.5),
    p95TtftMs: quantile(ttft, 0.95),
  };
}

function bucketExpr(bucket: SQLWrapper, q: UsageQuery) {
  if (!q.bucket) return undefined;
  return q.bucket === q.table ? sql<Date>`${bucket}` : sql<Date>`date_trunc(${sql.raw(`'${q.bucket}'`)}, ${bucket}, 'UTC')`;
}

// A literal, not a parameter: the same expression must appear in SELECT and GROUP BY. No piece
// of the source straddles splitAt (usage-source.ts cuts the range there).
function splitExpr(bucket: SQLWrapper, q: UsageQuery) {
  return q.splitAt ? sql<boolean>`${bucket} >= ${sql.raw(`'${q.splitAt.toISOString()}'::timestamptz`)}` : undefined;
}

const rowKey = (bucket: unknown, current: unknown, dims: unknown[]) => JSON.stringify([bucket ? new Date(bucket as string).toISOString() : null, current === true || current === "t", ...dims.map(String)]);

/**
 * Sums of the range, one row per bucket × group (ordered by bucket). With `percentiles`, the
 * histograms come from the latency tables, which know key and model only: rows grouped by other
 * dimensions get no percentiles.
 */
export async function queryUsage(db: Executor, q: UsageQuery): Promise<UsageRow[]> {
  const u = rollupSource(db, q);
  const groupBy = q.groupBy ?? [];
  const bucket = bucketExpr(u.bucket, q);
  const current = splitExpr(u.bucket, q);
  const dims = Object.fromEntries(groupBy.map((d) => [d, dimensionColumn(u, d)]));
  const groups = [...(bucket ? [bucket] : []), ...(current ? [current] : []), ...Object.values(dims)];
  const withPercentiles = q.percentiles && groupBy.every((d) => d === "model" || d === "key");
  const [rows, hists] = await Promise.all([
    readRollups(db, (tx) =>
      tx
        .select({ ...(bucket ? { bucket } : {}), ...(current ? { current } : {}), ...dims, ...sums(u) })
        .from(u)
        .groupBy(...groups)
        .orderBy(...(bucket ? [bucket] : [])),
    ),
    withPercentiles ? histograms(db, q) : Promise.resolve([]),
  ]);
  const byRow = new Map(hists.map((h) => [rowKey(h.bucket, h.current, groupBy.map((d) => h.group[d])), h]));
  return rows.map((r) => {
    const row = r as unknown as SumRow & Record<string, unknown>;
    const h = byRow.get(rowKey(row.bucket, row.current, groupBy.map((d) => row[d])));
    return {
      bucket: bucket ? new Date(row.bucket as string | Date) : null,
      ...(current ? { current: row.current === true || row.current === "t" } : {}),
      group: Object.fromEntries(groupBy.map((d) => [d, String(row[d])])),
      ...metricsOf({ ...row, ...h }),
    };
  });
}

export type HistogramRow = Pick<UsageRow, "bucket" | "current" | "group"> & { latencyHist: unknown; ttftHist: unknown };

/**
 * The summed latency and TTFT histograms of the query's buckets × groups (by key or model
 * only). Unfiltered and ungrouped (a workspace's totals), from the workspace tables: one row
 * per bucket instead of one per key × model.
 */
export async function histograms(db: Executor, q: UsageQuery): Promise<HistogramRow[]> {
  const groupBy = q.groupBy ?? [];
  const wholeWorkspace = groupBy.length === 0 && !q.filters?.keyId && !q.filters?.model;
  const byKeyModel = wholeWorkspace ? null : source(db, q, latencyTableFor);
  const l = byKeyModel ?? source(db, q, workspaceLatencyTableFor);
  const bucket = bucketExpr(l.bucket, q);
  const current = splitExpr(l.bucket, q);
  const dims = byKeyModel ? Object.fromEntries(groupBy.map((d) => [d, d === "model" ? byKeyModel.model : byKeyModel.apiKeyId])) : {};
  const rows = await readRollups(db, (tx) =>
    tx
      .select({ ...(bucket ? { bucket } : {}), ...(current ? { current } : {}), ...dims, latencyHist: histSum(l.latencyHist), ttftHist: histSum(l.ttftHist) })
      .from(l)
      .groupBy(...[...(bucket ? [bucket] : []), ...(current ? [current] : []), ...Object.values(dims)]),
  );
  return rows.map((r) => {
    const row = r as Record<string, unknown>;
    return {
      bucket: bucket ? new Date(row.bucket as string | Date) : null,
      ...(current ? { current: row.current === true || row.current === "t" } : {}),
      group: Object.fromEntries(groupBy.map((d) => [d, String(row[d])])),
      latencyHist: row.latencyHist,
      ttftHist: row.ttftHist,
    };
  });
}

/** Display names of keys and providers met in rows (ids of neither for the playground or none). */
export async function dimensionNames(db: Executor, rows: Pick<UsageRow, "group">[]): Promise<{ key: Map<string, string>; provider: Map<string, string> }> {
  const keyIds = [...new Set(rows.map((r) => r.group.key).filter((k): k is string => Boolean(k) && k !== noKey))];
  const providerIds = [...new Set(rows.map((r) => r.group.provider).filter((p): p is string => Boolean(p) && p !== noProvider))];
  const [keys, provs] = await Promise.all([
    keyIds.length ? db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(inArray(apiKeys.id, keyIds)) : [],
    providerIds.length ? db.select({ id: providers.id, name: providers.name }).from(providers).where(inArray(providers.id, providerIds)) : [],
  ]);
  const key = new Map<string, string>([[noKey, "Playground"], ...keys.map((k) => [k.id, k.name] as [string, string])]);
  const provider = new Map<string, string>([[noProvider, "(none)"], ...provs.map((p) => [p.id, p.name] as [string, string])]);
  return { key, provider };
}
