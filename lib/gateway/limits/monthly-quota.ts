// Monthly token quotas in Postgres: a request reserves its estimate with one conditional
// UPDATE (it fits or it is refused), and settles to its real usage when it ends. Concurrent
// requests, on any replica, cannot together pass the quota by more than their estimates miss.
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";

export function monthOf(date = new Date()): string {
  return date.toISOString().slice(0, 7);
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
