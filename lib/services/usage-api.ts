// GET /v1/usage for keys with the "usage:read" scope: the workspace's usage between two times,
// per minute, hour or day, grouped by any of model, key, provider, endpoint and origin.
// Read from the rollups only; times in ISO 8601 (UTC), costs in US dollars.
import { BoraError } from "@/lib/errors";
import type { Executor } from "./context";
import { fitGranularity, granularities, granularityMs, minuteRetentionDays, type Granularity } from "@/lib/usage/granularity";
import { dimensionNames, dimensions, queryUsage, type Dimension, type UsageRow } from "./usage-query";

// Ranges beyond these would mean tens of thousands of buckets: ask for a coarser granularity.
const maxBuckets: Record<Granularity, number> = { minute: 60 * 24 * minuteRetentionDays, hour: 24 * 93, day: 3_700 };

export type UsageApiParams = { start: Date; end: Date; granularity: Granularity; groupBy: Dimension[]; model?: string };

function bad(param: string, message: string): never {
  throw new BoraError("bad_request:usage", message, { param });
}

function time(query: URLSearchParams, param: string): Date | undefined {
  const v = query.get(param);
  if (v === null || v === "") return undefined;
  // ISO 8601: a date, or a date and time with a zone (2026-11-01, 2026-11-01T00:00:00Z).
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(v)) bad(param, `${param} must be an ISO 8601 date or time with a zone, e.g. 2026-11-01 or 2026-11-01T00:00:00Z.`);
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) bad(param, `${param} is not a valid date.`);
  return d;
}

/** Parses and checks the query; bounds widen to whole buckets of the granularity. */
export function parseUsageQuery(query: URLSearchParams, now = new Date()): UsageApiParams {
  for (const name of query.keys()) if (!["start", "end", "granularity", "group_by", "model"].includes(name)) bad(name, `Unknown parameter ${name}: use start, end, granularity, group_by and model.`);
  const start0 = time(query, "start") ?? bad("start", "start is required (ISO 8601, e.g. 2026-11-01T00:00:00Z).");
  const end0 = time(query, "end") ?? now;
  if (end0 <= start0) bad("end", "end must be after start.");
  const g = query.get("granularity");
  if (g !== null && !(granularities as readonly string[]).includes(g)) bad("granularity", `granularity must be one of ${granularities.join(", ")}.`);
  const granularity = (g as Granularity | null) ?? fitGranularity(start0, end0);
  const step = granularityMs[granularity];
  const start = new Date(Math.floor(start0.getTime() / step) * step);
  const end = new Date(Math.ceil(end0.getTime() / step) * step);
  if (granularity === "minute" && start.getTime() < now.getTime() - minuteRetentionDays * 86_400_000) bad("start", `Minute granularity covers the last ${minuteRetentionDays} days only; use hour or day for older ranges.`);
  if ((end.getTime() - start.getTime()) / step > maxBuckets[granularity]) bad("granularity", `At most ${maxBuckets[granularity]} ${granularity} buckets per request: shorten the range or use a coarser granularity.`);
  const groupBy = (query.get("group_by") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (const d of groupBy) if (!(dimensions as readonly string[]).includes(d)) bad("group_by", `Cannot group by ${d}: use ${dimensions.join(", ")}.`);
  const model = query.get("model") || undefined;
  return { start, end, granularity, groupBy: [...new Set(groupBy)] as Dimension[], model };
}

const ms = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

function entry(r: UsageRow) {
  return {
    requests: r.requests,
    errors: r.errors,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    total_tokens: r.promptTokens + r.completionTokens,
    cost: Math.round(r.cost * 1e9) / 1e9,
    latency_ms: { avg: ms(r.avgLatencyMs), p50: ms(r.p50LatencyMs), p95: ms(r.p95LatencyMs) },
    ttft_ms: { avg: ms(r.avgTtftMs), p50: ms(r.p50TtftMs), p95: ms(r.p95TtftMs) },
  };
}

export async function usageReport(db: Executor, workspaceId: string, p: UsageApiParams) {
  const base = { workspaceId, from: p.start, to: p.end, table: p.granularity, filters: { model: p.model }, percentiles: true };
  const [rows, [total]] = await Promise.all([queryUsage(db, { ...base, bucket: p.granularity, groupBy: p.groupBy }), queryUsage(db, base)]);
  const names = await dimensionNames(db, rows);
  const step = granularityMs[p.granularity];
  return {
    object: "usage",
    start: p.start.toISOString(),
    end: p.end.toISOString(),
    granularity: p.granularity,
    group_by: p.groupBy,
    currency: "USD",
    data: rows.map((r) => {
      const g = r.group;
      return {
        start: r.bucket!.toISOString(),
        end: new Date(r.bucket!.getTime() + step).toISOString(),
        ...(g.model !== undefined ? { model: g.model } : {}),
        ...(g.key !== undefined ? { key_id: g.key === "00000000-0000-0000-0000-000000000000" ? null : g.key, key_name: names.key.get(g.key) ?? null } : {}),
        ...(g.provider !== undefined ? { provider_id: g.provider === "00000000-0000-0000-0000-000000000000" ? null : g.provider, provider_name: names.provider.get(g.provider) ?? null } : {}),
        ...(g.endpoint !== undefined ? { endpoint: g.endpoint } : {}),
        ...(g.origin !== undefined ? { origin: g.origin } : {}),
        ...entry(r),
      };
    }),
    totals: entry(total ?? { bucket: null, group: {}, requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, cost: 0, avgLatencyMs: null, p50LatencyMs: null, p95LatencyMs: null, avgTtftMs: null, p50TtftMs: null, p95TtftMs: null }),
  };
}
