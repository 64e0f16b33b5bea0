// Usage events are buffered in memory and written in batches, so no request waits on the
// database. The buffer flushes every half second or at 500 events, and on shutdown; a failed
// write keeps the events for the next attempt.
import { sql } from "drizzle-orm";
import { lt } from "drizzle-orm";
import { noKey, noProvider, requestLogs, type NewUsageEvent } from "@/db/schema";
import { addToHistogram } from "@/lib/usage/histogram";
import { pruneUsage } from "@/lib/usage/retention";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { observeUsage } from "@/lib/metrics/registry";
import { annotate, tracingOn } from "@/lib/tracing";

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
    this.purgeTimer = setInterval(() => {
      void this.purgeExpiredLogs().catch((err) => log.error("purging request logs failed", { err }));
      void pruneUsage(this.db).catch((err) => log.error("pruning raw usage events failed", { err }));
    }, purgeEveryMs);
    this.purgeTimer.unref();
  }

  record(event: NewUsageEvent, body?: NewRequestLog): void {
    if (body) this.logs.push(body);
    // Stamped now: the event and its rollups must fall in the same minute, hour and day.
    this.buffer.push(event.createdAt ? event : { ...event, createdAt: new Date() });
    // Here and only here: /metrics then counts exactly what usage_events will hold.
    observeUsage(event);
    if (tracingOn()) annotate({ "bora.workspace_id": event.workspaceId, "bora.api_key_id": event.apiKeyId ?? "", "bora.model": event.model, "bora.status": event.status, "gen_ai.usage.input_tokens": event.promptTokens ?? 0, "gen_ai.usage.output_tokens": event.completionTokens ?? 0 });
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
// arrays differently, a string they both pass through unchanged. Numbers need no quotes; a
// string is escaped only when it holds a quote or a backslash (a regex replace per value was
// most of the cost of building a flush's statement).
function arrayLiteral(values: unknown[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ",";
    if (v === null || v === undefined) out += "NULL";
    else if (typeof v === "number") out += String(v);
    else out += quoted(String(v));
  }
  return out + "}";
}

function quoted(s: string): string {
  return s.includes('"') || s.includes("\\") ? `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"` : `"${s}"`;
}

// Events and the minute, hour and day rollups they add to are written in one statement (one
// data-modifying CTE per table), so atomically: the dashboard's sums always equal the raw events.
// Each rollup table gets one multi-row upsert per batch, aggregated here in memory first. One
// statement instead of a transaction of seven: on PGlite each statement and BEGIN/COMMIT has a
// fixed cost (a flush of 400 events: about 30 → 21 ms of CPU); on Postgres, one round trip
// instead of nine. Every writer sends the same statement with
// its rows sorted, and Postgres runs the CTEs in the order written, so concurrent flushes lock rows
// in one order. That order is what Postgres does, not what it documents: were it to change,
// concurrent flushes could deadlock (and be retried, as any failed flush is).
async function insertEvents(db: Db, events: NewUsageEvent[]): Promise<void> {
  const names = sql.raw(columns.map(([, name]) => name).join(", "));
  const arrays = sql.join(
    columns.map(([key, , type]) => sql`${arrayLiteral(events.map((e) => columnValue(e, key)))}::${sql.raw(type)}[]`),
    sql`, `,
  );
  const { sums, latency, workspaceLatency } = rollup(events);
  // Last: every batch of the workspace updates the workspace-wide rows, so their locks are held the least.
  const writes = [
    sql`insert into usage_events (${names}) select * from unnest(${arrays})`,
    ...sums.map(([table, rows]) => upsertSums(table, rows)),
    ...latency.map(([table, rows]) => upsertLatency(table, rows)),
    ...workspaceLatency.map(([table, rows]) => upsertLatency(table, rows)),
  ];
  await db.execute(sql`with ${sql.join(writes.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w})`), sql`, `)} select 1`);
}

const units = ["minute", "hour", "day"] as const;
type Unit = (typeof units)[number];
const sumTables: Record<Unit, string> = { minute: "usage_rollups_minute", hour: "usage_rollups_hourly", day: "usage_rollups_daily" };
const latencyTables: Record<Unit, string> = { minute: "usage_latency_minute", hour: "usage_latency_hourly", day: "usage_latency_daily" };
const workspaceLatencyTables: Record<Unit, string> = { minute: "usage_latency_workspace_minute", hour: "usage_latency_workspace_hourly", day: "usage_latency_workspace_daily" };
const unitMs: Record<Unit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function arrays<T>(rows: T[]) {
  return (pick: (x: T) => unknown, type: string) => sql`${arrayLiteral(rows.map(pick))}::${sql.raw(type)}[]`;
}

function upsertSums(table: string, rows: Sums[]) {
  const r = arrays(rows);
  const t = sql.raw(table);
  return sql`
    insert into ${t} (bucket, workspace_id, api_key_id, model, provider_id, endpoint, origin, requests, errors, prompt_tokens, completion_tokens, cost_nanos, latency_ms_sum, ttft_ms_sum, streamed)
    select * from unnest(
      ${r((x) => x.bucket, "timestamptz")}, ${r((x) => x.workspaceId, "uuid")}, ${r((x) => x.apiKeyId, "uuid")}, ${r((x) => x.model, "text")},
      ${r((x) => x.providerId, "uuid")}, ${r((x) => x.endpoint, "text")}, ${r((x) => x.origin, "text")},
      ${r((x) => x.requests, "bigint")}, ${r((x) => x.errors, "bigint")}, ${r((x) => x.promptTokens, "bigint")}, ${r((x) => x.completionTokens, "bigint")}, ${r((x) => x.costNanos, "bigint")},
      ${r((x) => x.latencyMsSum, "bigint")}, ${r((x) => x.ttftMsSum, "bigint")}, ${r((x) => x.streamed, "bigint")})
    on conflict (workspace_id, bucket, api_key_id, model, provider_id, endpoint, origin) do update set
      requests = ${t}.requests + excluded.requests,
      errors = ${t}.errors + excluded.errors,
      prompt_tokens = ${t}.prompt_tokens + excluded.prompt_tokens,
      completion_tokens = ${t}.completion_tokens + excluded.completion_tokens,
      cost_nanos = ${t}.cost_nanos + excluded.cost_nanos,
      latency_ms_sum = ${t}.latency_ms_sum + excluded.latency_ms_sum,
      ttft_ms_sum = ${t}.ttft_ms_sum + excluded.ttft_ms_sum,
      streamed = ${t}.streamed + excluded.streamed`;
}

// Rows of a key × model table, or of a workspace one (without apiKeyId and model).
function upsertLatency(table: string, rows: (Latency | WorkspaceLatency)[]) {
  const r = arrays(rows);
  // Histograms travel as text (an array of array literals; unnest would flatten a 2-D array).
  const hist = (h: number[]) => `{${h.join(",")}}`;
  const t = sql.raw(table);
  const byKeyModel = rows.length > 0 && "apiKeyId" in rows[0]!;
  const dims = byKeyModel ? sql`, ${r((x) => (x as Latency).apiKeyId, "uuid")}, ${r((x) => (x as Latency).model, "text")}` : sql``;
  return sql`
    insert into ${t} (bucket, workspace_id${sql.raw(byKeyModel ? ", api_key_id, model" : "")}, latency_hist, ttft_hist)
    select b, w${sql.raw(byKeyModel ? ", k, m" : "")}, lh::bigint[], th::bigint[] from unnest(
      ${r((x) => x.bucket, "timestamptz")}, ${r((x) => x.workspaceId, "uuid")}${dims},
      ${r((x) => hist(x.latencyHist), "text")}, ${r((x) => hist(x.ttftHist), "text")}
    ) as u(b, w${sql.raw(byKeyModel ? ", k, m" : "")}, lh, th)
    on conflict (workspace_id, bucket${sql.raw(byKeyModel ? ", api_key_id, model" : "")}) do update set
      latency_hist = bora_hist_add(${t}.latency_hist, excluded.latency_hist),
      ttft_hist = bora_hist_add(${t}.ttft_hist, excluded.ttft_hist)`;
}

type Sums = {
  bucket: string;
  workspaceId: string;
  apiKeyId: string;
  model: string;
  providerId: string;
  endpoint: string;
  origin: string;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  costNanos: number;
  latencyMsSum: number;
  ttftMsSum: number;
  streamed: number;
};

type WorkspaceLatency = { bucket: string; workspaceId: string; latencyHist: number[]; ttftHist: number[] };
type Latency = WorkspaceLatency & { apiKeyId: string; model: string };

/** The batch summed per minute, hour and day: one list of rows per table. */
export function rollup(events: NewUsageEvent[]): { sums: [table: string, rows: Sums[]][]; latency: [table: string, rows: Latency[]][]; workspaceLatency: [table: string, rows: WorkspaceLatency[]][] } {
  // Rows by bucket, then by their other dimensions: each event's dimension strings are hashed
  // once for the three units, and each bucket's string is made once per batch, not per event.
  const sums = { minute: new Map<string, Map<string, Sums>>(), hour: new Map<string, Map<string, Sums>>(), day: new Map<string, Map<string, Sums>>() };
  const latency = { minute: new Map<string, Map<string, Latency>>(), hour: new Map<string, Map<string, Latency>>(), day: new Map<string, Map<string, Latency>>() };
  const workspaceLatency = { minute: new Map<string, Map<string, WorkspaceLatency>>(), hour: new Map<string, Map<string, WorkspaceLatency>>(), day: new Map<string, Map<string, WorkspaceLatency>>() };
  const lastStart = { minute: NaN, hour: NaN, day: NaN };
  const lastBucket = { minute: "", hour: "", day: "" };
  for (const e of events) {
    const at = (e.createdAt instanceof Date ? e.createdAt : new Date()).getTime();
    const apiKeyId = e.apiKeyId ?? noKey;
    const providerId = e.providerId ?? noProvider;
    const origin = e.origin ?? "api";
    const keyModel = `${e.workspaceId}|${apiKeyId}|${e.model}`;
    const dims = `${keyModel}|${providerId}|${e.endpoint}|${origin}`;
    for (const unit of units) {
      const start = Math.floor(at / unitMs[unit]) * unitMs[unit];
      if (start !== lastStart[unit]) {
        lastStart[unit] = start;
        lastBucket[unit] = new Date(start).toISOString();
      }
      const bucket = lastBucket[unit];
      const sumRows = inner(sums[unit], bucket);
      let r = sumRows.get(dims);
      if (!r) {
        r = { bucket, workspaceId: e.workspaceId, apiKeyId, model: e.model, providerId, endpoint: e.endpoint, origin, requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, costNanos: 0, latencyMsSum: 0, ttftMsSum: 0, streamed: 0 };
        sumRows.set(dims, r);
      }
      const latencyRows = inner(latency[unit], bucket);
      let h = latencyRows.get(keyModel);
      if (!h) {
        h = { bucket, workspaceId: e.workspaceId, apiKeyId, model: e.model, latencyHist: [], ttftHist: [] };
        latencyRows.set(keyModel, h);
      }
      const workspaceRows = inner(workspaceLatency[unit], bucket);
      let w = workspaceRows.get(e.workspaceId);
      if (!w) {
        w = { bucket, workspaceId: e.workspaceId, latencyHist: [], ttftHist: [] };
        workspaceRows.set(e.workspaceId, w);
      }
      r.requests += 1;
      if (e.status !== "ok") r.errors += 1;
      r.promptTokens += e.promptTokens ?? 0;
      r.completionTokens += e.completionTokens ?? 0;
      r.costNanos += e.costNanos ?? 0;
      r.latencyMsSum += e.latencyMs ?? 0;
      addToHistogram(h.latencyHist, e.latencyMs ?? 0);
      addToHistogram(w.latencyHist, e.latencyMs ?? 0);
      if (e.ttftMs !== null && e.ttftMs !== undefined) {
        r.ttftMsSum += e.ttftMs;
        r.streamed += 1;
        addToHistogram(h.ttftHist, e.ttftMs);
        addToHistogram(w.ttftHist, e.ttftMs);
      }
    }
  }
  // The same order in every writer: concurrent upserts then lock rows in one order and cannot deadlock.
  const sorted = <T>(m: Map<string, Map<string, T>>) =>
    [...m.entries()].flatMap(([bucket, rows]) => [...rows.entries()].map(([k, r]) => [`${bucket}|${k}`, r] as const)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  return {
    sums: units.map((u) => [sumTables[u], sorted(sums[u])]),
    latency: units.map((u) => [latencyTables[u], sorted(latency[u])]),
    workspaceLatency: units.map((u) => [workspaceLatencyTables[u], sorted(workspaceLatency[u])]),
  };
}

function inner<T>(outer: Map<string, Map<string, T>>, bucket: string): Map<string, T> {
  let rows = outer.get(bucket);
  if (!rows) outer.set(bucket, (rows = new Map()));
  return rows;
}
