// Rollups rebuilt in bulk from raw events, in SQL: one GROUP BY per table. They equal what the
// meter writes event by event (the same buckets, sums and histogram bounds: bora_hist_index
// mirrors lib/usage/histogram.ts). Used by the usage benchmark after seeding events; migration
// 0009 ran the same statements to fill the new tables from the events already there.
import { sql, type SQL } from "drizzle-orm";

export const rollupUnits = { minute: "usage_rollups_minute", hour: "usage_rollups_hourly", day: "usage_rollups_daily" } as const;
export type RollupUnit = keyof typeof rollupUnits;

/** INSERT … SELECT … GROUP BY of the events in [from, to) into one rollup table (empty there). */
export function rebuildRollupsSql(unit: RollupUnit, range: { from?: Date; to?: Date; workspaceId?: string } = {}): SQL {
  const table = sql.raw(rollupUnits[unit]);
  const u = sql.raw(`'${unit}'`);
  const where = sql.join(
    [sql`true`, range.from ? sql`created_at >= ${range.from.toISOString()}::timestamptz` : undefined, range.to ? sql`created_at < ${range.to.toISOString()}::timestamptz` : undefined, range.workspaceId ? sql`workspace_id = ${range.workspaceId}::uuid` : undefined].filter(
      (c): c is SQL => Boolean(c),
    ),
    sql` and `,
  );
  return sql`
    insert into ${table} (bucket, workspace_id, api_key_id, model, provider_id, endpoint, origin, requests, errors, prompt_tokens, completion_tokens, cost_nanos, latency_ms_sum, ttft_ms_sum, streamed, latency_hist, ttft_hist)
    select date_trunc(${u}, created_at, 'UTC'), workspace_id, coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), model,
      coalesce(provider_id, '00000000-0000-0000-0000-000000000000'), endpoint, origin,
      count(*), count(*) filter (where status <> 'ok'), sum(prompt_tokens), sum(completion_tokens), sum(cost_nanos), sum(latency_ms), coalesce(sum(ttft_ms), 0), count(ttft_ms),
      bora_hist_of(array_agg(bora_hist_index(latency_ms))), bora_hist_of(array_agg(bora_hist_index(ttft_ms)) filter (where ttft_ms is not null))
    from usage_events where ${where}
    group by 1, 2, 3, 4, 5, 6, 7
    -- In time order, as the meter adds them: range scans then read few pages.
    order by 1`;
}
