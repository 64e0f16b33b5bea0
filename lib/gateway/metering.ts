// Usage events are buffered in memory and written in batches, so no request waits on the
// database. The buffer flushes every half second or at 500 events, and on shutdown; a failed
// write keeps the events for the next attempt.
import { sql } from "drizzle-orm";
import { lt } from "drizzle-orm";
import { noKey, requestLogs, type NewUsageEvent } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { observeUsage } from "@/lib/metrics/registry";

const flushEveryMs = 500;
const purgeEveryMs = 3_600_000;
const batchSize = 500;
// Past this the oldest events are dropped (and said so): better than running out of memory
// while the database is down.
const maxBuffered = 200_000;

export type NewRequestLog = typeof requestLogs.$inferInsert;

export class Meter {
  private buffer: NewUsageEvent[] = [];
  // Bodies of workspaces that keep them; written with each flush, before its events.
  private logs: NewRequestLog[] = [];
  private timer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  // When the oldest event of the write in progress was recorded (ms), for the flush lag.
  private writingSince: number | undefined;

  constructor(private readonly db: Db) {
    this.timer = setInterval(() => void this.flush(), flushEveryMs);
    this.timer.unref();
    this.purgeTimer = setInterval(() => void this.purgeExpiredLogs().catch((err) => log.error("purging request logs failed", { err })), purgeEveryMs);
    this.purgeTimer.unref();
  }

  record(event: NewUsageEvent, body?: NewRequestLog): void {
    if (body) this.logs.push(body);
    // Stamped now: the event and its hourly rollup must fall in the same hour.
    this.buffer.push(event.createdAt ? event : { ...event, createdAt: new Date() });
    // Here and only here: /metrics then counts exactly what usage_events will hold.
    observeUsage(event);
    if (this.buffer.length > maxBuffered) {
      const dropped = this.buffer.splice(0, this.buffer.length - maxBuffered);
      log.error("usage buffer full: dropped events", { dropped: dropped.length });
    }
    if (this.buffer.length >= batchSize) void this.flush();
  }

  /** Writes everything buffered so far. Concurrent calls share one write. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.logs.length === 0) return;
    const batch = this.buffer.splice(0, this.buffer.length);
    const logs = this.logs.splice(0, this.logs.length);
    this.writingSince = stampOf(batch[0]);
    this.flushing = (async () => {
      let written = 0;
      try {
        if (logs.length) await this.db.insert(requestLogs).values(logs);
        logs.length = 0;
        for (; written < batch.length; written += batchSize) await insertEvents(this.db, batch.slice(written, written + batchSize));
      } catch (err) {
        // Only what was not written goes back: each insert is all-or-nothing.
        log.error("writing usage events failed; will retry", { err, events: batch.length - written });
        this.buffer.unshift(...batch.slice(written));
        this.logs.unshift(...logs);
      }
    })();
    await this.flushing;
    this.flushing = undefined;
    this.writingSince = undefined;
  }

  /** Deletes bodies past their retention. Runs hourly; returns how many went. */
  async purgeExpiredLogs(now = new Date()): Promise<number> {
    const gone = await this.db.delete(requestLogs).where(lt(requestLogs.expiresAt, now)).returning({ id: requestLogs.id });
    return gone.length;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.purgeTimer);
    await this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** When the oldest event not yet written was recorded (ms since the epoch); undefined when none waits. */
  get oldestPendingAt(): number | undefined {
    return this.writingSince ?? stampOf(this.buffer[0]);
  }
}

function stampOf(e: NewUsageEvent | undefined): number | undefined {
  return e?.createdAt instanceof Date ? e.createdAt.getTime() : undefined;
}

// One statement with one array parameter per column (unnest), whatever the batch size: far
// cheaper to build and to parse than a VALUES list of 500 × 19 parameters, on both drivers.
const columns: [keyof NewUsageEvent, string, string][] = [
  ["createdAt", "created_at", "timestamptz"],
  ["workspaceId", "workspace_id", "uuid"],
  ["apiKeyId", "api_key_id", "uuid"],
  ["model", "model", "text"],
  ["deploymentId", "deployment_id", "uuid"],
  ["providerId", "provider_id", "uuid"],
  ["endpoint", "endpoint", "text"],
  ["promptTokens", "prompt_tokens", "int"],
  ["completionTokens", "completion_tokens", "int"],
  ["costNanos", "cost_nanos", "bigint"],
  ["latencyMs", "latency_ms", "int"],
  ["ttftMs", "ttft_ms", "int"],
  ["status", "status", "text"],
  ["httpStatus", "http_status", "int"],
  ["errorType", "error_type", "text"],
  ["requestId", "request_id", "text"],
  ["origin", "origin", "text"],
  ["batchId", "batch_id", "uuid"],
];

const defaults: Partial<Record<keyof NewUsageEvent, unknown>> = { promptTokens: 0, completionTokens: 0, costNanos: 0, latencyMs: 0, origin: "api" };

function columnValue(e: NewUsageEvent, key: keyof NewUsageEvent): unknown {
  const v = e[key] ?? defaults[key] ?? null;
  if (key === "createdAt") return (v instanceof Date ? v : new Date()).toISOString();
  return key === "costNanos" && v !== null ? String(v) : v;
}

// Postgres's array literal, sent as one text parameter: postgres.js and PGlite serialise JS
// arrays differently, a string they both pass through unchanged.
function arrayLiteral(values: unknown[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? "NULL" : `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(",")}}`;
}

// Events and the hourly rollups they add to are written in one transaction: the dashboard's
// sums always equal the raw events.
async function insertEvents(db: Db, events: NewUsageEvent[]): Promise<void> {
  const names = sql.raw(columns.map(([, name]) => name).join(", "));
  const arrays = sql.join(
    columns.map(([key, , type]) => sql`${arrayLiteral(events.map((e) => columnValue(e, key)))}::${sql.raw(type)}[]`),
    sql`, `,
  );
  const rollups = rollup(events);
  const r = (pick: (x: Rollup) => unknown, type: string) => sql`${arrayLiteral(rollups.map(pick))}::${sql.raw(type)}[]`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into usage_events (${names}) select * from unnest(${arrays})`);
    await tx.execute(sql`
      insert into usage_rollups_hourly (bucket, workspace_id, api_key_id, model, status, origin, requests, prompt_tokens, completion_tokens, cost_nanos, latency_ms_sum, ttft_ms_sum, streamed)
      select * from unnest(${r((x) => x.bucket, "timestamptz")}, ${r((x) => x.workspaceId, "uuid")}, ${r((x) => x.apiKeyId, "uuid")}, ${r((x) => x.model, "text")},
        ${r((x) => x.status, "text")}, ${r((x) => x.origin, "text")}, ${r((x) => x.requests, "bigint")}, ${r((x) => x.promptTokens, "bigint")},
        ${r((x) => x.completionTokens, "bigint")}, ${r((x) => x.costNanos, "bigint")}, ${r((x) => x.latencyMsSum, "bigint")}, ${r((x) => x.ttftMsSum, "bigint")}, ${r((x) => x.streamed, "bigint")})
      on conflict (workspace_id, bucket, api_key_id, model, status, origin) do update set
        requests = usage_rollups_hourly.requests + excluded.requests,
        prompt_tokens = usage_rollups_hourly.prompt_tokens + excluded.prompt_tokens,
        completion_tokens = usage_rollups_hourly.completion_tokens + excluded.completion_tokens,
        cost_nanos = usage_rollups_hourly.cost_nanos + excluded.cost_nanos,
        latency_ms_sum = usage_rollups_hourly.latency_ms_sum + excluded.latency_ms_sum,
        ttft_ms_sum = usage_rollups_hourly.ttft_ms_sum + excluded.ttft_ms_sum,
        streamed = usage_rollups_hourly.streamed + excluded.streamed`);
  });
}

type Rollup = {
  bucket: string;
  workspaceId: string;
  apiKeyId: string;
  model: string;
  status: string;
  origin: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costNanos: number;
  latencyMsSum: number;
  ttftMsSum: number;
  streamed: number;
};

function rollup(events: NewUsageEvent[]): Rollup[] {
  const byKey = new Map<string, Rollup>();
  for (const e of events) {
    const at = e.createdAt instanceof Date ? e.createdAt : new Date();
    const hour = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000).toISOString();
    const apiKeyId = e.apiKeyId ?? noKey;
    const origin = e.origin ?? "api";
    const id = `${hour}|${e.workspaceId}|${apiKeyId}|${e.model}|${e.status}|${origin}`;
    let r = byKey.get(id);
    if (!r) {
      r = { bucket: hour, workspaceId: e.workspaceId, apiKeyId, model: e.model, status: e.status, origin, requests: 0, promptTokens: 0, completionTokens: 0, costNanos: 0, latencyMsSum: 0, ttftMsSum: 0, streamed: 0 };
      byKey.set(id, r);
    }
    r.requests += 1;
    r.promptTokens += e.promptTokens ?? 0;
    r.completionTokens += e.completionTokens ?? 0;
    r.costNanos += e.costNanos ?? 0;
    r.latencyMsSum += e.latencyMs ?? 0;
    if (e.ttftMs !== null && e.ttftMs !== undefined) {
      r.ttftMsSum += e.ttftMs;
      r.streamed += 1;
    }
  }
  // The same order in every writer: concurrent upserts then lock rows in one order and cannot deadlock.
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
}
