// A workspace's monthly spend against its cap, in Postgres like key quotas: a request reserves
// its estimated cost with one conditional UPDATE and settles to its real cost when it ends, so
// concurrent requests on any replica overshoot the cap by at most what their estimates miss.
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { processId } from "./holds";


/** Reserves `cost`; returns what is left of the cap after it, or null when it does not fit. */
export async function reserveBudget(db: Db, workspaceId: string, month: string, capNanos: number, cost: number): Promise<number | null> {
  await db.execute(sql`insert into workspace_budget_usage (workspace_id, month) values (${workspaceId}, ${month}) on conflict do nothing`);
  const [row] = rowsOf(
    await db.execute(sql`
      with r as (
        update workspace_budget_usage set reserved_cost_nanos = reserved_cost_nanos + ${cost}
        where workspace_id = ${workspaceId} and month = ${month} and used_cost_nanos + reserved_cost_nanos + ${cost} <= ${capNanos}
        returning used_cost_nanos, reserved_cost_nanos),
      hold as (
        insert into reservation_holds (process_id, kind, target_id, month, cost_nanos) select ${processId}, 'workspace', ${workspaceId}, ${month}, ${cost} from r
        on conflict (process_id, kind, target_id, month) do update set cost_nanos = reservation_holds.cost_nanos + excluded.cost_nanos)
      select * from r`),
  );
  return row ? capNanos - Number(row.used_cost_nanos) - Number(row.reserved_cost_nanos) : null;
}

/** Settles a reservation to the real cost, giving back no more than the hold still holds, with rows locked in the same order (as settleQuota); returns the month's spend after it. */
export async function settleBudget(db: Db, workspaceId: string, month: string, reserved: number, used: number): Promise<number> {
  const [row] = rowsOf(
    await db.execute(sql`
      with locked as (select 1 from workspace_budget_usage where workspace_id = ${workspaceId} and month = ${month} for update),
      hold as (
        update reservation_holds set cost_nanos = greatest(cost_nanos - ${reserved}, 0), released_cost_nanos = least(cost_nanos, ${reserved})
        where process_id = ${processId} and kind = 'workspace' and target_id = ${workspaceId} and month = ${month} and exists (select 1 from locked)
        returning released_cost_nanos)
      update workspace_budget_usage set reserved_cost_nanos = greatest(reserved_cost_nanos - coalesce((select released_cost_nanos from hold), 0), 0), used_cost_nanos = used_cost_nanos + ${used}
      where workspace_id = ${workspaceId} and month = ${month}
      returning used_cost_nanos`),
  );
  return Number(row?.used_cost_nanos ?? 0);
}

/**
 * Marks `percent` as announced for the month unless it (or a higher one) already was: true for
 * exactly one caller across all replicas, which then sends the notice.
 */
export async function claimThreshold(db: Db, workspaceId: string, month: string, percent: number): Promise<boolean> {
  const rows = rowsOf(
    await db.execute(sql`
      update workspace_budget_usage set notified_percent = ${percent}
      where workspace_id = ${workspaceId} and month = ${month} and notified_percent < ${percent}
      returning notified_percent`),
  );
  return rows.length > 0;
}

export async function budgetUsage(db: Db, workspaceId: string, month: string): Promise<{ usedNanos: number; reservedNanos: number; notifiedPercent: number }> {
  const [row] = rowsOf(await db.execute(sql`select used_cost_nanos, reserved_cost_nanos, notified_percent from workspace_budget_usage where workspace_id = ${workspaceId} and month = ${month}`));
  return { usedNanos: Number(row?.used_cost_nanos ?? 0), reservedNanos: Number(row?.reserved_cost_nanos ?? 0), notifiedPercent: Number(row?.notified_percent ?? 0) };
}

/**
 * Drops every reservation of requests in flight. Only when this process is the only one that
 * could hold any (PGlite): then what is reserved at start was left by a process that died
 * mid-request, and would otherwise shrink quotas until the month ends.
 */
export async function releaseOrphanedReservations(db: Db): Promise<void> {
  await db.execute(sql`update key_quota_usage set reserved_tokens = 0, reserved_cost_nanos = 0 where reserved_tokens <> 0 or reserved_cost_nanos <> 0`);
  await db.execute(sql`update workspace_budget_usage set reserved_cost_nanos = 0 where reserved_cost_nanos <> 0`);
  await db.execute(sql`with h as (delete from reservation_holds) delete from bora_processes`);
}
