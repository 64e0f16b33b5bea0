// The usage dashboard's numbers, read from the rollups (never from raw events for a range):
// totals with percentiles against the previous period of the same length, a time series
// stacked by a chosen dimension, and the top models and keys. The chart's step follows the range
// (minutes up to 6 hours, hours up to 8 days, days beyond) and so do the rows it reads; totals and
// top lists read whole days from the daily rollups and only a range's edges from finer ones.
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, usageRollups, type RollupTable } from "@/db/schema";
import type { Executor, WorkspaceContext } from "./context";
import { monthStart } from "@/lib/gateway/limits/monthly-quota";
import { fitGranularity, granularityMs, type Granularity } from "@/lib/usage/granularity";
import { dimensionNames, histograms, metricsOf, sums, type SumRow, type UsageRow } from "./usage-query";
import { rollupSource, rollupTableFor, whereRange, readRollups } from "./usage-source";

// Rolling ranges (hours back from now) and calendar months (UTC, like the daily rollups).
export const ranges = {
  "1h": { hours: 1, label: "1 hour" },
  "6h": { hours: 6, label: "6 hours" },
  "24h": { hours: 24, label: "24 hours" },
  "7d": { hours: 24 * 7, label: "7 days" },
  "30d": { hours: 24 * 30, label: "30 days" },
  "90d": { hours: 24 * 90, label: "90 days" },
  "this-month": { hours: null, label: "This month" },
  "last-month": { hours: null, label: "Last month" },
} as const;
export type RangeName = keyof typeof ranges;

export const stackDimensions = ["model", "key", "provider", "endpoint", "origin"] as const;
export type StackBy = (typeof stackDimensions)[number];

export const usageFilterInput = z.object({
  range: z.enum(Object.keys(ranges) as [RangeName, ...RangeName[]]).catch("24h"),
  key: z.uuid().optional().catch(undefined),
  model: z.string().min(1).max(120).optional().catch(undefined),
  stack: z.enum(stackDimensions).catch("model"),
});
export type UsageFilter = z.infer<typeof usageFilterInput>;

export type Totals = ReturnType<typeof metricsOf>;

const ceilTo = (t: number, ms: number) => Math.ceil(t / ms) * ms;

/** The range's bounds, aligned to its granularity, and the previous period of the same length. */
export function bounds(range: RangeName, now = new Date()) {
  let from: Date;
  let to: Date;
  let step: Granularity;
  if (range === "this-month" || range === "last-month") {
    const thisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    if (range === "last-month") {
      from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
      to = new Date(thisMonth);
      step = "day";
    } else {
      from = new Date(thisMonth);
      // Early in a month, hours (or minutes) rather than one or two daily bars.
      step = fitGranularity(from, new Date(ceilTo(now.getTime(), granularityMs.day)));
      if (step === "minute") step = "hour";
      to = new Date(ceilTo(now.getTime() + 1, granularityMs[step]));
    }
  } else {
    const ms = ranges[range].hours * granularityMs.hour;
    step = fitGranularity(new Date(0), new Date(ms));
    to = new Date(ceilTo(now.getTime() + 1, granularityMs[step]));
    from = new Date(to.getTime() - ms);
  }
  const prevFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  return { from, to, prevFrom, step };
}

export type SeriesPoint = { bucket: string; group: string; tokens: number; requests: number; cost: number };

// A chart with dozens of stacked keys is unreadable: the largest groups and one "Other".
const maxStacked = 8;

type ChartRow = { bucket: Date; stack: string; tokens: number; requests: number; cost: number };

function stackSeries(rows: ChartRow[], label: (id: string) => string): SeriesPoint[] {
  const total = new Map<string, number>();
  for (const r of rows) total.set(r.stack, (total.get(r.stack) ?? 0) + r.tokens + r.requests);
  const kept = new Set([...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, maxStacked).map(([g]) => g));
  return rows.map((r) => ({ bucket: r.bucket.toISOString(), group: kept.has(r.stack) ? label(r.stack) : "Other", tokens: r.tokens, requests: r.requests, cost: r.cost }));
}

type RangeQuery = { workspaceId: string; from: Date; to: Date; table: Granularity; filters: { keyId?: string; model?: string } };

const stackColumn = (t: Pick<RollupTable, "model" | "apiKeyId" | "providerId" | "endpoint" | "origin">, stack: StackBy) =>
  ({ model: t.model, key: t.apiKeyId, provider: t.providerId, endpoint: t.endpoint, origin: t.origin })[stack];

/**
 * The chart: the step's own rows (its buckets), summed by bucket and stacked dimension. Only
 * what the chart draws: three sums keep the rows narrow, so a week of hourly rows (tens of
 * thousands) groups in memory instead of in a sort spilled to disk.
 */
async function chart(db: Executor, q: RangeQuery, stack: StackBy): Promise<ChartRow[]> {
  const t = rollupTableFor(q.table);
  const stackCol = stackColumn(t, stack);
  const rows = await readRollups(db, (tx) =>
    tx
      .select({
        bucket: t.bucket,
        stack: sql<string>`${stackCol}::text`,
        tokens: sql<string>`sum(${t.promptTokens} + ${t.completionTokens})`,
        requests: sql<string>`sum(${t.requests})`,
        costNanos: sql<string>`sum(${t.costNanos})`,
      })
      .from(t)
      .where(whereRange(t, q))
      .groupBy(t.bucket, stackCol)
      .orderBy(t.bucket),
  );
  return rows.map((r) => ({ bucket: new Date(r.bucket), stack: r.stack, tokens: Number(r.tokens), requests: Number(r.requests), cost: Number(r.costNanos) / 1e9 }));
}

/**
 * Both periods' totals and this period's top models and keys in one scan (GROUPING SETS, the
 * previous period's groups unused), of whole days where the range has them. With `stack` (day
 * steps, whose chart buckets are the very daily rows read here) the chart too.
 */
async function periodsAndBreakdowns(db: Executor, q: RangeQuery & { splitAt: Date }, stack?: StackBy) {
  const u = rollupSource(db, q);
  const current = sql<boolean>`${u.bucket} >= ${sql.raw(`'${q.splitAt.toISOString()}'::timestamptz`)}`;
  const stackCol = stack ? stackColumn(u, stack) : undefined;
  const rows = (await readRollups(db, (tx) =>
    tx
      .select({
        current,
        isSeries: stackCol ? sql<number>`grouping(${u.bucket})` : sql<number>`1`,
        isModel: sql<number>`grouping(${u.model})`,
        isKey: sql<number>`grouping(${u.apiKeyId})`,
        bucket: stackCol ? sql<Date | string | null>`${u.bucket}` : sql<null>`null`,
        stack: stackCol ? sql<string | null>`${stackCol}::text` : sql<null>`null`,
        model: u.model,
        key: sql<string | null>`${u.apiKeyId}::text`,
        ...sums(u),
      })
      .from(u)
      .groupBy(sql`grouping sets ((${current}), (${current}, ${u.model}), (${current}, ${u.apiKeyId})${stackCol ? sql`, (${current}, ${u.bucket}, ${stackCol})` : sql``})`),
  )) as (SumRow & { current: boolean | string; isSeries: number | string; isModel: number | string; isKey: number | string; bucket: Date | string | null; stack: string | null; model: string | null; key: string | null })[];
  type Row = (typeof rows)[number];
  const isCurrent = (r: Row) => r.current === true || r.current === "t";
  // Which grouping set a row sums: 0 where the column is one of the set's.
  const of = (r: Row, series: number, model: number, key: number) => Number(r.isSeries) === series && (model < 0 || Number(r.isModel) === model) && (key < 0 || Number(r.isKey) === key);
  const row = (r: Row, group: UsageRow["group"]): UsageRow => ({ bucket: null, group, ...metricsOf(r) });
  const thisPeriod = rows.filter(isCurrent);
  return {
    totals: thisPeriod.find((r) => of(r, 1, 1, 1)),
    previous: rows.find((r) => !isCurrent(r) && of(r, 1, 1, 1)),
    byModel: thisPeriod.filter((r) => of(r, 1, 0, -1)).map((r) => row(r, { model: r.model! })),
    byKey: thisPeriod.filter((r) => of(r, 1, -1, 0)).map((r) => row(r, { key: r.key! })),
    series: thisPeriod
      .filter((r) => of(r, 0, -1, -1))
      .map((r): ChartRow => ({ bucket: new Date(r.bucket!), stack: r.stack!, tokens: Number(r.promptTokens) + Number(r.completionTokens), requests: Number(r.requests), cost: Number(r.costNanos) / 1e9 }))
      .sort((a, b) => a.bucket.getTime() - b.bucket.getTime()),
  };
}

export async function usageOverview(db: Executor, ctx: WorkspaceContext, filter: UsageFilter, now = new Date()) {
  const { from, to, prevFrom, step } = bounds(filter.range, now);
  const base = { workspaceId: ctx.workspace.id, table: step, filters: { keyId: filter.key, model: filter.model } };
  // Queries at once, each on its own pooled connection: both periods' sums with the top lists,
  // both periods' histograms (both reading whole days from the daily rollups and only a range's
  // edges from finer ones), and for hour or minute steps the chart (on day steps the first
  // query's scan draws it).
  const chartInScan = step === "day";
  const [periods, hists, chartRows] = await Promise.all([
    periodsAndBreakdowns(db, { ...base, from: prevFrom, to, splitAt: from }, chartInScan ? filter.stack : undefined),
    histograms(db, { ...base, from: prevFrom, to, splitAt: from }),
    chartInScan ? null : chart(db, { ...base, from, to }, filter.stack),
  ]);
  const { byModel, byKey } = periods;
  const series = chartRows ?? periods.series;
  const keyIds = byKey.map((k) => k.group.key!);
  const [names, keyPrefixes] = await Promise.all([dimensionNames(db, [...series.map((r) => ({ group: { [filter.stack]: r.stack } })), ...byKey]), keyPrefixOf(db, keyIds)]);
  const label = (id: string) => (filter.stack === "key" ? (names.key.get(id) ?? "(deleted key)") : filter.stack === "provider" ? (names.provider.get(id) ?? "(deleted provider)") : id);
  const top = <T extends Totals>(rows: T[]) => rows.sort((a, b) => b.cost - a.cost || b.requests - a.requests).slice(0, 10);
  const withHist = (r: SumRow | undefined, cur: boolean) => metricsOf(r && { ...r, ...hists.find((h) => h.current === cur) });
  return {
    from,
    to,
    step,
    stack: filter.stack,
    totals: withHist(periods.totals, true),
    previous: withHist(periods.previous, false),
    series: stackSeries(series, label),
    byModel: top(byModel.map((m) => ({ model: m.group.model!, ...stripRow(m) }))),
    byKey: top(byKey.map((k) => ({ keyId: k.group.key!, name: names.key.get(k.group.key!) ?? "(deleted key)", prefix: keyPrefixes.get(k.group.key!) ?? null, ...stripRow(k) }))),
  };
}

function stripRow(r: UsageRow): Totals {
  const { bucket: _b, group: _g, ...totals } = r;
  void _b;
  void _g;
  return totals;
}

async function keyPrefixOf(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: apiKeys.id, prefix: apiKeys.prefix }).from(apiKeys).where(inArray(apiKeys.id, ids));
  return new Map(rows.map((r) => [r.id, r.prefix]));
}

/** This month's tokens and spend per key of the workspace: the keys page's usage bars. */
export async function monthToDateByKey(db: Executor, ctx: WorkspaceContext, now = new Date()) {
  // The month of the workspace's time zone, as quotas count it: hourly rows, since a zone's
  // midnight need not fall on a UTC day.
  const start = monthStart(now, ctx.workspace.timeZone);
  const rows = await db
    .select({ keyId: usageRollups.apiKeyId, tokens: sql<string>`sum(${usageRollups.promptTokens} + ${usageRollups.completionTokens})`, costNanos: sql<string>`sum(${usageRollups.costNanos})` })
    .from(usageRollups)
    .where(and(eq(usageRollups.workspaceId, ctx.workspace.id), gte(usageRollups.bucket, start)))
    .groupBy(usageRollups.apiKeyId);
  return new Map(rows.map((r) => [r.keyId, { tokens: Number(r.tokens), cost: Number(r.costNanos) / 1e9 }]));
}
