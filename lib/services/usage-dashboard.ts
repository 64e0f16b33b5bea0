// The usage dashboard's numbers, read from the hourly rollups (never from raw events for a
// range): totals against the previous period of the same length, a time series by model, and
// the top models and keys.
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, noKey, usageRollups } from "@/db/schema";
import type { Executor, WorkspaceContext } from "./context";
import { monthStart } from "@/lib/gateway/limits/monthly-quota";

export const ranges = { "24h": { hours: 24, step: "hour" }, "7d": { hours: 24 * 7, step: "hour" }, "30d": { hours: 24 * 30, step: "day" }, "90d": { hours: 24 * 90, step: "day" } } as const;
export type RangeName = keyof typeof ranges;

export const usageFilterInput = z.object({
  range: z.enum(Object.keys(ranges) as [RangeName, ...RangeName[]]).catch("24h"),
  key: z.uuid().optional().catch(undefined),
  model: z.string().min(1).max(120).optional().catch(undefined),
});
export type UsageFilter = z.infer<typeof usageFilterInput>;

export type Totals = { requests: number; errors: number; promptTokens: number; completionTokens: number; cost: number; avgLatencyMs: number | null; avgTtftMs: number | null };

const hourMs = 3_600_000;

export function bounds(range: RangeName, now = new Date()) {
  const to = new Date(Math.ceil(now.getTime() / hourMs) * hourMs);
  const from = new Date(to.getTime() - ranges[range].hours * hourMs);
  const prevFrom = new Date(from.getTime() - ranges[range].hours * hourMs);
  return { from, to, prevFrom, step: ranges[range].step };
}

function where(ctx: WorkspaceContext, f: UsageFilter, from: Date, to: Date): SQL {
  return and(
    eq(usageRollups.workspaceId, ctx.workspace.id),
    gte(usageRollups.bucket, from),
    lt(usageRollups.bucket, to),
    f.key ? eq(usageRollups.apiKeyId, f.key) : undefined,
    f.model ? eq(usageRollups.model, f.model) : undefined,
  )!;
}

const sums = {
  requests: sql<string>`coalesce(sum(${usageRollups.requests}), 0)`,
  errors: sql<string>`coalesce(sum(case when ${usageRollups.status} <> 'ok' then ${usageRollups.requests} else 0 end), 0)`,
  promptTokens: sql<string>`coalesce(sum(${usageRollups.promptTokens}), 0)`,
  completionTokens: sql<string>`coalesce(sum(${usageRollups.completionTokens}), 0)`,
  costNanos: sql<string>`coalesce(sum(${usageRollups.costNanos}), 0)`,
  latency: sql<string>`coalesce(sum(${usageRollups.latencyMsSum}), 0)`,
  ttft: sql<string>`coalesce(sum(${usageRollups.ttftMsSum}), 0)`,
  streamed: sql<string>`coalesce(sum(${usageRollups.streamed}), 0)`,
};

type SumRow = { [K in keyof typeof sums]: string | number };

function totalsOf(r: SumRow | undefined): Totals {
  const n = (v: string | number | undefined) => Number(v ?? 0);
  const requests = n(r?.requests);
  return {
    requests,
    errors: n(r?.errors),
    promptTokens: n(r?.promptTokens),
    completionTokens: n(r?.completionTokens),
    cost: n(r?.costNanos) / 1e9,
    avgLatencyMs: requests ? n(r?.latency) / requests : null,
    avgTtftMs: n(r?.streamed) ? n(r?.ttft) / n(r?.streamed) : null,
  };
}

export async function usageOverview(db: Executor, ctx: WorkspaceContext, filter: UsageFilter, now = new Date()) {
  const { from, to, prevFrom, step } = bounds(filter.range, now);
  const bucket = step === "day" ? sql<Date>`date_trunc('day', ${usageRollups.bucket}, 'UTC')` : sql<Date>`${usageRollups.bucket}`;
  const [current, previous, series, byModel, byKey] = await Promise.all([
    db.select(sums).from(usageRollups).where(where(ctx, filter, from, to)),
    db.select(sums).from(usageRollups).where(where(ctx, filter, prevFrom, from)),
    db
      .select({ bucket, model: usageRollups.model, tokens: sql<string>`sum(${usageRollups.promptTokens} + ${usageRollups.completionTokens})`, requests: sums.requests, costNanos: sums.costNanos })
      .from(usageRollups)
      .where(where(ctx, filter, from, to))
      .groupBy(bucket, usageRollups.model)
      .orderBy(bucket),
    db
      .select({ model: usageRollups.model, ...sums })
      .from(usageRollups)
      .where(where(ctx, filter, from, to))
      .groupBy(usageRollups.model)
      .orderBy(desc(sums.costNanos), desc(sums.requests))
      .limit(10),
    db
      .select({ keyId: usageRollups.apiKeyId, name: apiKeys.name, prefix: apiKeys.prefix, ...sums })
      .from(usageRollups)
      .leftJoin(apiKeys, eq(apiKeys.id, usageRollups.apiKeyId))
      .where(where(ctx, filter, from, to))
      .groupBy(usageRollups.apiKeyId, apiKeys.name, apiKeys.prefix)
      .orderBy(desc(sums.costNanos), desc(sums.requests))
      .limit(10),
  ]);
  return {
    from,
    to,
    step,
    totals: totalsOf(current[0]),
    previous: totalsOf(previous[0]),
    series: series.map((s) => ({ bucket: new Date(s.bucket).toISOString(), model: s.model, tokens: Number(s.tokens), requests: Number(s.requests), cost: Number(s.costNanos) / 1e9 })),
    byModel: byModel.map((m) => ({ model: m.model, ...totalsOf(m) })),
    byKey: byKey.map((k) => ({ keyId: k.keyId, name: k.keyId === noKey ? "Playground" : (k.name ?? "(deleted key)"), prefix: k.prefix, ...totalsOf(k) })),
  };
}

/** This month's (UTC) tokens and spend per key of the workspace: the keys page's usage bars. */
export async function monthToDateByKey(db: Executor, ctx: WorkspaceContext, now = new Date()) {
  // The month of the workspace's time zone, as quotas count it.
  const start = monthStart(now, ctx.workspace.timeZone);
  const rows = await db
    .select({ keyId: usageRollups.apiKeyId, tokens: sql<string>`sum(${usageRollups.promptTokens} + ${usageRollups.completionTokens})`, costNanos: sql<string>`sum(${usageRollups.costNanos})` })
    .from(usageRollups)
    .where(and(eq(usageRollups.workspaceId, ctx.workspace.id), gte(usageRollups.bucket, start)))
    .groupBy(usageRollups.apiKeyId);
  return new Map(rows.map((r) => [r.keyId, { tokens: Number(r.tokens), cost: Number(r.costNanos) / 1e9 }]));
}
