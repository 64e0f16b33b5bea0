// Rollups rebuilt in bulk from raw events, in SQL: one GROUP BY per table. They equal what the
// meter writes event by event (the same buckets, sums and histogram bounds: bora_hist_index
// mirrors lib/usage/histogram.ts). Used by the usage benchmark after seeding events; migration
// 0009 ran the same statements to fill the new tables from the events already there.
import { sql, type SQL } from "drizzle-orm";

export const rollupUnits = { minute: "usage_rollups_minute", hour: "usage_rollups_hourly", day: "usage_rollups_daily" } as const;
export const latencyUnits = { minute: "usage_latency_minute", hour: "usage_latency_hourly", day: "usage_latency_daily" } as const;
export const workspaceLatencyUnits = { minute: "usage_latency_workspace_minute", hour: "usage_latency_workspace_hourly", day: "usage_latency_workspace_daily" } as const;
export type RollupUnit = keyof typeof rollupUnits;
type Range = { from?: Date; to?: Date; workspaceId?: string };

function whereOf(range: Range): SQL {
  const conds = [
    sql`true`,
    range.from ? sql`created_at >= ${range.from.toISOString()}::timestamptz` : undefined,
    range.to ? sql`created_at < ${range.to.toISOString()}::timestamptz` : undefined,
    range.workspaceId ? sql`workspace_id = ${range.workspaceId}::uuid` : undefined,
  ].filter((c): c is SQL => Boolean(c));
  return sql.join(conds, sql` and `);
}

/** INSERT … SELECT … GROUP BY of the events in the range into one sums table (empty there). */
export function rebuildRollupsSql(unit: RollupUnit, range: Range = {}): SQL {
  return sql`
    insert into ${sql.raw(rollupUnits[unit])} (bucket, workspace_id, api_key_id, model, provider_id, endpoint, origin, requests, errors, prompt_tokens, completion_tokens, cost_nanos, latency_ms_sum, ttft_ms_sum, streamed)
    select date_trunc(${sql.raw(`'${unit}'`)}, created_at, 'UTC'), workspace_id, coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), model,
      coalesce(provider_id, '00000000-0000-0000-0000-000000000000'), endpoint, origin,
      count(*), count(*) filter (where status <> 'ok'), sum(prompt_tokens), sum(completion_tokens), sum(cost_nanos), sum(latency_ms), coalesce(sum(ttft_ms), 0), count(ttft_ms)
    from usage_events where ${whereOf(range)}
    group by 1, 2, 3, 4, 5, 6, 7
    -- In time order, as the meter adds them: range scans then read few pages.
    order by 1`;
}

/**
 * The same for one histograms table: by key × model, or (`workspace`) summed over the whole
 * workspace (the tables unfiltered views read).
 */
export function rebuildLatencySql(unit: RollupUnit, range: Range = {}, scope: "keyModel" | "workspace" = "keyModel"): SQL {
  const byKeyModel = scope === "keyModel";
  const table = sql.raw(byKeyModel ? latencyUnits[unit] : workspaceLatencyUnits[unit]);
  return sql`
    insert into ${table} (bucket, workspace_id${byKeyModel ? sql`, api_key_id, model` : sql``}, latency_hist, ttft_hist)
    select date_trunc(${sql.raw(`'${unit}'`)}, created_at, 'UTC'), workspace_id${byKeyModel ? sql`, coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), model` : sql``},
      bora_hist_of(array_agg(bora_hist_index(latency_ms))), bora_hist_of(array_agg(bora_hist_index(ttft_ms)) filter (where ttft_ms is not null))
    from usage_events where ${whereOf(range)}
    group by ${sql.raw(byKeyModel ? "1, 2, 3, 4" : "1, 2")}
    order by 1`;
}
