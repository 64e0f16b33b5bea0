// What this process has reserved and not settled, kept beside the reservations themselves (in
// the same statements: monthly-quota.ts, spend-budget.ts), and a heartbeat saying the process
// lives. Every process sweeps: the holds of one not seen for `deadAfterMs` are subtracted from
// the reservations and deleted, so a gateway killed mid-request (OOM, a lost machine) does not
// keep a key's quota or a workspace's budget reserved until the month ends.
import crypto from "node:crypto";
import os from "node:os";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { log } from "@/lib/log";

/** This process's id in bora_processes and reservation_holds: unique per start of the process. */
export const processId = `${os.hostname()}-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;

const heartbeatMs = 5_000;
// Six missed heartbeats: a long GC pause or a slow database must not pass for a death.
const deadAfterMs = 30_000;

/** Gives back the holds of processes not seen for `olderThanMs`; returns what it reclaimed. */
export function reclaimDeadHolds(db: Db, olderThanMs = deadAfterMs): Promise<{ processes: number; holds: number }> {
  return release(db, sql`seen_at < now() - make_interval(secs => ${olderThanMs / 1000}) and id <> ${processId}`);
}

// One statement: a process row deleted here is reclaimed here, by exactly one sweeper. Holds are
// summed per target first: an UPDATE … FROM applies only one joined row to each target row.
// The quota and budget rows are locked before the holds (`gone` waits for `locked_*`), the order
// reservations and settles take them in: a process taken for dead may still be settling, and the
// other order deadlocked with its settles on Postgres.
async function release(db: Db, which: SQL): Promise<{ processes: number; holds: number }> {
  const [row] = rowsOf<{ processes: number; holds: number }>(
    await db.execute(sql`
      with dead as (delete from bora_processes where ${which} returning id),
      targets as (select kind, target_id, month from reservation_holds where process_id in (select id from dead)),
      locked_keys as (select 1 from key_quota_usage q join targets t on t.kind = 'key' and q.api_key_id = t.target_id and q.month = t.month for update of q),
      locked_budgets as (select 1 from workspace_budget_usage b join targets t on t.kind = 'workspace' and b.workspace_id = t.target_id and b.month = t.month for update of b),
      gone as (
        delete from reservation_holds h using dead
        where h.process_id = dead.id and (select count(*) from locked_keys) >= 0 and (select count(*) from locked_budgets) >= 0
        returning h.kind, h.target_id, h.month, h.tokens, h.cost_nanos),
      summed as (select kind, target_id, month, sum(tokens)::bigint as tokens, sum(cost_nanos)::bigint as cost_nanos from gone group by kind, target_id, month),
      keys as (
        update key_quota_usage q set reserved_tokens = greatest(q.reserved_tokens - s.tokens, 0), reserved_cost_nanos = greatest(q.reserved_cost_nanos - s.cost_nanos, 0)
        from summed s where s.kind = 'key' and q.api_key_id = s.target_id and q.month = s.month),
      workspaces as (
        update workspace_budget_usage b set reserved_cost_nanos = greatest(b.reserved_cost_nanos - s.cost_nanos, 0)
        from summed s where s.kind = 'workspace' and b.workspace_id = s.target_id and b.month = s.month)
      select (select count(*) from dead)::int as processes, (select count(*) from gone)::int as holds`),
  );
  return { processes: Number(row?.processes ?? 0), holds: Number(row?.holds ?? 0) };
}

/** Registers this process, heartbeats and sweeps until stopped. */
export class ProcessHeartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly mode: string,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.tick(), heartbeatMs);
    this.timer.unref();
  }

  private async beat() {
    // An upsert: a process taken for dead after a long stall comes back under the same id.
    await this.db.execute(sql`insert into bora_processes (id, mode) values (${processId}, ${this.mode}) on conflict (id) do update set seen_at = now()`);
  }

  private async tick() {
    try {
      await this.beat();
      const reclaimed = await reclaimDeadHolds(this.db);
      if (reclaimed.processes) log.warn("gave back the reservations of processes that stopped without settling", reclaimed);
    } catch (err) {
      log.error("process heartbeat failed", { err });
    }
  }

  /** After the process drained: what it still holds (requests cut at the drain's bound) goes back. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await release(this.db, sql`id = ${processId}`);
  }
}
