// Monthly token quotas in Postgres: a request reserves its estimate with one conditional
// UPDATE (it fits or it is refused), and settles to its real usage when it ends. Concurrent
// requests, on any replica, cannot together pass the quota by more than their estimates miss.
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { processId } from "./holds";

// Formatters by zone: making an Intl.DateTimeFormat costs about 100 µs, and limited requests
// ask for the month on every call.
const monthFormats = new Map<string, Intl.DateTimeFormat>();
const wallFormats = new Map<string, Intl.DateTimeFormat>();

function formatFor(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
  if (!f) cache.set(timeZone, (f = new Intl.DateTimeFormat("en-US", { timeZone, ...options })));
  return f;
}

type MonthBounds = { month: string; from: number; until: number };

// The month last asked for in each zone, with its bounds: most calls fall in it.
const lastMonths = new Map<string, MonthBounds>();

// The month of `date` in the zone ("YYYY-MM") and the instants it starts and ends.
function monthBounds(date: Date, timeZone: string): MonthBounds {
  const t = date.getTime();
  const last = lastMonths.get(timeZone);
  if (last && t >= last.from && t < last.until) return last;
  const parts = Object.fromEntries(formatFor(monthFormats, timeZone, { year: "numeric", month: "2-digit" }).formatToParts(date).map((p) => [p.type, p.value]));
  const [year, index] = [Number(parts.year), Number(parts.month) - 1];
  const bounds = { month: `${parts.year}-${parts.month}`, from: firstOfMonth(year, index, timeZone), until: firstOfMonth(year, index + 1, timeZone) };
  lastMonths.set(timeZone, bounds);
  return bounds;
}

/** "YYYY-MM" of `date` in the IANA zone `timeZone`: quotas reset at midnight on the 1st there. */
export function monthOf(date = new Date(), timeZone = "UTC"): string {
  return monthBounds(date, timeZone).month;
}

// The zone's offset from UTC at `instant`, in ms (positive east of Greenwich).
function offsetAt(instant: number, timeZone: string): number {
  const wall = formatFor(wallFormats, timeZone, { hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
  const p = Object.fromEntries(wall.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(instant / 1000) * 1000;
}

// The instant midnight on the 1st of a month (0-based, may overflow into the next year) is in
// the zone. Twice: the offset at the guess can differ from the one at the answer across DST.
function firstOfMonth(year: number, monthIndex: number, timeZone: string): number {
  const wall = Date.UTC(year, monthIndex, 1);
  const guess = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(guess, timeZone);
}

/** When the current month began in `timeZone`. */
export function monthStart(now = new Date(), timeZone = "UTC"): Date {
  return new Date(monthBounds(now, timeZone).from);
}

/** Milliseconds until the next month begins in `timeZone` (for Retry-After on a used-up quota). */
export function msToNextMonth(now = new Date(), timeZone = "UTC"): number {
  return monthBounds(now, timeZone).until - now.getTime();
}


export type QuotaCaps = { tokens: number | null; costNanos: number | null };
export type Reserved = { tokensLeft: number | null; costLeft: number | null } | { refused: "tokens" | "spend" };

/**
 * Reserves `tokens` and `cost` against a key's monthly token and spend quotas in one conditional
 * UPDATE: both fit, or nothing is reserved and the answer names the quota that did not fit.
 */
export async function reserveQuota(db: Db, keyId: string, month: string, caps: QuotaCaps, tokens: number, cost: number): Promise<Reserved> {
  await db.execute(sql`insert into key_quota_usage (api_key_id, month) values (${keyId}, ${month}) on conflict do nothing`);
  const [row] = rowsOf(
    await db.execute(sql`
      with r as (
        update key_quota_usage set reserved_tokens = reserved_tokens + ${tokens}, reserved_cost_nanos = reserved_cost_nanos + ${cost}
        where api_key_id = ${keyId} and month = ${month}
          and (${caps.tokens}::bigint is null or used_tokens + reserved_tokens + ${tokens} <= ${caps.tokens}::bigint)
          and (${caps.costNanos}::bigint is null or used_cost_nanos + reserved_cost_nanos + ${cost} <= ${caps.costNanos}::bigint)
        returning used_tokens, reserved_tokens, used_cost_nanos, reserved_cost_nanos),
      hold as (
        insert into reservation_holds (process_id, kind, target_id, month, tokens, cost_nanos) select ${processId}, 'key', ${keyId}, ${month}, ${tokens}, ${cost} from r
        on conflict (process_id, kind, target_id, month) do update set tokens = reservation_holds.tokens + excluded.tokens, cost_nanos = reservation_holds.cost_nanos + excluded.cost_nanos)
      select * from r`),
  );
  if (!row) {
    const [now] = rowsOf(await db.execute(sql`select used_tokens, reserved_tokens from key_quota_usage where api_key_id = ${keyId} and month = ${month}`));
    const tokensFull = caps.tokens !== null && Number(now?.used_tokens ?? 0) + Number(now?.reserved_tokens ?? 0) + tokens > caps.tokens;
    return { refused: tokensFull ? "tokens" : "spend" };
  }
  return {
    tokensLeft: caps.tokens === null ? null : caps.tokens - Number(row.used_tokens) - Number(row.reserved_tokens),
    costLeft: caps.costNanos === null ? null : caps.costNanos - Number(row.used_cost_nanos) - Number(row.reserved_cost_nanos),
  };
}

// Gives back what the hold still holds of this reservation, no more: a process taken for dead
// (a stall of over 30 s) had its holds given back by another already (holds.ts). Rows are locked
// in reserveQuota's order, the key's month and then the hold (`locked` runs first because the
// hold's update needs it): the other order deadlocked with concurrent reservations on Postgres.
export async function settleQuota(db: Db, keyId: string, month: string, reserved: { tokens: number; cost: number }, used: { tokens: number; cost: number }): Promise<void> {
  await db.execute(sql`
    with locked as (select 1 from key_quota_usage where api_key_id = ${keyId} and month = ${month} for update),
    hold as (
      update reservation_holds set tokens = greatest(tokens - ${reserved.tokens}, 0), cost_nanos = greatest(cost_nanos - ${reserved.cost}, 0),
        released_tokens = least(tokens, ${reserved.tokens}), released_cost_nanos = least(cost_nanos, ${reserved.cost})
      where process_id = ${processId} and kind = 'key' and target_id = ${keyId} and month = ${month} and exists (select 1 from locked)
      returning released_tokens, released_cost_nanos)
    update key_quota_usage set
      reserved_tokens = greatest(reserved_tokens - coalesce((select released_tokens from hold), 0), 0), used_tokens = used_tokens + ${used.tokens},
      reserved_cost_nanos = greatest(reserved_cost_nanos - coalesce((select released_cost_nanos from hold), 0), 0), used_cost_nanos = used_cost_nanos + ${used.cost}
    where api_key_id = ${keyId} and month = ${month}`);
}

export async function quotaUsed(db: Db, keyId: string, month = monthOf()): Promise<{ tokens: number; costNanos: number }> {
  const [row] = rowsOf(await db.execute(sql`select used_tokens, used_cost_nanos from key_quota_usage where api_key_id = ${keyId} and month = ${month}`));
  return { tokens: Number(row?.used_tokens ?? 0), costNanos: Number(row?.used_cost_nanos ?? 0) };
}
