// The usage dashboard's numbers, read from the rollups (never from raw events for a range):
// totals with percentiles against the previous period of the same length, a time series
// stacked by a chosen dimension, and the top models and keys. The table read follows the range:
// minute rows up to 6 hours, hourly up to 8 days, daily beyond.
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, usageRollups } from "@/db/schema";
import type { Executor, WorkspaceContext } from "./context";
import { monthStart } from "@/lib/gateway/limits/monthly-quota";
import { dimensionNames, fitGranularity, granularityMs, metricsOf, queryUsage, rollupTableFor, sums, whereRange, type Granularity, type SumRow, type UsageRow } from "./usage-query";

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

function stackSeries(rows: UsageRow[], stack: StackBy, label: (id: string) => string): SeriesPoint[] {
  const total = new Map<string, number>();
  for (const r of rows) total.set(r.group[stack]!, (total.get(r.group[stack]!) ?? 0) + r.promptTokens + r.completionTokens + r.requests);
  const kept = new Set([...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, maxStacked).map(([g]) => g));
  return rows.map((r) => ({
    bucket: r.bucket!.toISOString(),
    group: kept.has(r.group[stack]!) ? label(r.group[stack]!) : "Other",
    tokens: r.promptTokens + r.completionTokens,
    requests: r.requests,
    cost: r.cost,
  }));
}

/** The chart's series and the top models and keys, in one scan (GROUPING SETS). */
async function chartAndBreakdowns(db: Executor, q: { workspaceId: string; from: Date; to: Date; table: Granularity; filters: { keyId?: string; model?: string } }, step: Granularity, stack: StackBy) {
  const t = rollupTableFor(q.table);
  const bucket = step === q.table ? sql`${t.bucket}` : sql`date_trunc(${sql.raw(`'${step}'`)}, ${t.bucket}, 'UTC')`;
  const stackCol = { model: t.model, key: t.apiKeyId, provider: t.providerId, endpoint: t.endpoint, origin: t.origin }[stack];
  const rows = (await db
    .select({
      isSeries: sql<number>`grouping(${bucket})`,
      isModel: sql<number>`grouping(${t.model})`,
      bucket: sql<Date | string | null>`${bucket}`,
      stack: sql<string | null>`${stackCol}::text`,
      model: t.model,
      key: sql<string | null>`${t.apiKeyId}::text`,
      ...sums(t),
    })
    .from(t)
    .where(whereRange(t, q))
    .groupBy(sql`grouping sets ((${bucket}, ${stackCol}), (${t.model}), (${t.apiKeyId}))`)) as (SumRow & { isSeries: number | string; isModel: number | string; bucket: Date | string | null; stack: string | null; model: string | null; key: string | null })[];
  const row = (r: (typeof rows)[number], group: UsageRow["group"], bucketAt: Date | null = null): UsageRow => ({ bucket: bucketAt, group, ...metricsOf(r) });
  const series = rows
    .filter((r) => Number(r.isSeries) === 0)
    .map((r) => row(r, { [stack]: r.stack! }, new Date(r.bucket!)))
    .sort((a, b) => a.bucket!.getTime() - b.bucket!.getTime());
  const byModel = rows.filter((r) => Number(r.isSeries) === 1 && Number(r.isModel) === 0).map((r) => row(r, { model: r.model! }));
  const byKey = rows.filter((r) => Number(r.isSeries) === 1 && Number(r.isModel) === 1).map((r) => row(r, { key: r.key! }));
  return { series, byModel, byKey };
}

export async function usageOverview(db: Executor, ctx: WorkspaceContext, filter: UsageFilter, now = new Date()) {
  const { from, to, prevFrom, step } = bounds(filter.range, now);
  const base = { workspaceId: ctx.workspace.id, table: step, filters: { keyId: filter.key, model: filter.model } };
  // Three queries at once: both periods' sums, both periods' histograms (inside queryUsage), and
  // the chart with both breakdowns.
  const [periods, { series, byModel, byKey }] = await Promise.all([queryUsage(db, { ...base, from: prevFrom, to, splitAt: from, percentiles: true }), chartAndBreakdowns(db, { ...base, from, to }, step, filter.stack)]);
  const current = periods.filter((p) => p.current);
  const previous = periods.filter((p) => !p.current);
  const names = await dimensionNames(db, [...series, ...byKey]);
  const label = (id: string) => (filter.stack === "key" ? (names.key.get(id) ?? "(deleted key)") : filter.stack === "provider" ? (names.provider.get(id) ?? "(deleted provider)") : id);
  const top = <T extends Totals>(rows: T[]) => rows.sort((a, b) => b.cost - a.cost || b.requests - a.requests).slice(0, 10);
  const none = metricsOf(undefined);
  const keyPrefixes = await keyPrefixOf(db, byKey.map((k) => k.group.key!));
  return {
    from,
    to,
    step,
    stack: filter.stack,
    totals: current[0] ? stripRow(current[0]) : none,
    previous: previous[0] ? stripRow(previous[0]) : none,
    series: stackSeries(series, filter.stack, label),
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
