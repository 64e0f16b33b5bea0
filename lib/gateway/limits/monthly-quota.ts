// Monthly token quotas in Postgres: a request reserves its estimate with one conditional
// UPDATE (it fits or it is refused), and settles to its real usage when it ends. Concurrent
// requests, on any replica, cannot together pass the quota by more than their estimates miss.
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";

/** "YYYY-MM" of `date` in the IANA zone `timeZone`: quotas reset at midnight on the 1st there. */
export function monthOf(date = new Date(), timeZone = "UTC"): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}`;
}

// The zone's offset from UTC at `instant`, in ms (positive east of Greenwich).
function offsetAt(instant: number, timeZone: string): number {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" }).formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
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
  const [year, month] = monthOf(now, timeZone).split("-").map(Number) as [number, number];
  return new Date(firstOfMonth(year, month - 1, timeZone));
}

/** Milliseconds until the next month begins in `timeZone` (for Retry-After on a used-up quota). */
export function msToNextMonth(now = new Date(), timeZone = "UTC"): number {
  const [year, month] = monthOf(now, timeZone).split("-").map(Number) as [number, number];
  return firstOfMonth(year, month, timeZone) - now.getTime();
}

type Row = { used_tokens: string | number; reserved_tokens: string | number };

function rowsOf(result: unknown): Row[] {
  return (Array.isArray(result) ? result : ((result as { rows?: Row[] }).rows ?? [])) as Row[];
}

/** Reserves `tokens`; returns the tokens left after it, or null when the quota cannot fit them. */
export async function reserveQuota(db: Db, keyId: string, month: string, quota: number, tokens: number): Promise<number | null> {
  await db.execute(sql`insert into key_quota_usage (api_key_id, month) values (${keyId}, ${month}) on conflict do nothing`);
  const rows = rowsOf(
    await db.execute(sql`
      update key_quota_usage set reserved_tokens = reserved_tokens + ${tokens}
      where api_key_id = ${keyId} and month = ${month} and used_tokens + reserved_tokens + ${tokens} <= ${quota}
      returning used_tokens, reserved_tokens`),
  );
  const row = rows[0];
  return row ? quota - Number(row.used_tokens) - Number(row.reserved_tokens) : null;
}

export async function settleQuota(db: Db, keyId: string, month: string, reserved: number, used: number): Promise<void> {
  await db.execute(sql`
    update key_quota_usage set reserved_tokens = greatest(reserved_tokens - ${reserved}, 0), used_tokens = used_tokens + ${used}
    where api_key_id = ${keyId} and month = ${month}`);
}

export async function quotaUsed(db: Db, keyId: string, month = monthOf()): Promise<number> {
  const rows = rowsOf(await db.execute(sql`select used_tokens, reserved_tokens from key_quota_usage where api_key_id = ${keyId} and month = ${month}`));
  return Number(rows[0]?.used_tokens ?? 0);
}
