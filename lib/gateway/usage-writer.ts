// Writes a batch of usage events, with the minute, hour and day rollups they add to, in one
// statement. The meter (metering.ts) decides when; this decides how.
import { sql } from "drizzle-orm";
import { noKey, noProvider, type NewUsageEvent } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { addToHistogram } from "@/lib/usage/histogram";

// One statement with one array parameter per column (unnest), whatever the batch size: far
// cheaper to build and to parse than a VALUES list of thousands × 18 parameters, on both drivers.
type Column = [key: keyof NewUsageEvent, name: string, type: string];

// What differs from one request to the next: an array element per event. The time goes as
// milliseconds after the batch's earliest event: an integer parses in a third of a timestamp's
// time, and needs no ISO string made per event.
const eventColumns: Column[] = [
  ["promptTokens", "prompt_tokens", "int"],
  ["completionTokens", "completion_tokens", "int"],
  ["costNanos", "cost_nanos", "bigint"],
  ["latencyMs", "latency_ms", "int"],
  ["ttftMs", "ttft_ms", "int"],
  ["requestId", "request_id", "text"],
];

// What many events of a batch share (the same key, model, route and outcome): sent once per
// distinct combination, which each event names by number. Parsing array elements is most of
// what an insert costs PGlite (1 µs a uuid or timestamp); this took a 500-event insert from
// about 13 to 9 µs an event.
const sharedColumns: Column[] = [
  ["workspaceId", "workspace_id", "uuid"],
  ["apiKeyId", "api_key_id", "uuid"],
  ["model", "model", "text"],
  ["deploymentId", "deployment_id", "uuid"],
  ["providerId", "provider_id", "uuid"],
  ["endpoint", "endpoint", "text"],
  ["status", "status", "text"],
  ["httpStatus", "http_status", "int"],
  ["errorType", "error_type", "text"],
  ["origin", "origin", "text"],
  ["batchId", "batch_id", "uuid"],
];

const defaults: Partial<Record<keyof NewUsageEvent, unknown>> = { promptTokens: 0, completionTokens: 0, costNanos: 0, latencyMs: 0, origin: "api" };

function columnValue(e: NewUsageEvent, key: keyof NewUsageEvent): unknown {
  const v = e[key] ?? defaults[key] ?? null;
  return key === "costNanos" && v !== null ? String(v) : v;
}

// The meter stamps every event; now, for one that somehow arrives without.
function stampOf(e: NewUsageEvent): number {
  return e.createdAt instanceof Date ? e.createdAt.getTime() : Date.now();
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
export async function writeUsageEvents(db: Db, events: NewUsageEvent[]): Promise<void> {
  const { sums, latency, workspaceLatency } = rollup(events);
  // Last: every batch of the workspace updates the workspace-wide rows, so their locks are held the least.
  const writes = [
    insertEvents(events),
    ...sums.map(([table, rows]) => upsertSums(table, rows)),
    ...latency.map(([table, rows]) => upsertLatency(table, rows)),
    ...workspaceLatency.map(([table, rows]) => upsertLatency(table, rows)),
  ];
  await db.execute(sql`with ${sql.join(writes.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w})`), sql`, `)} select 1`);
}

function insertEvents(events: NewUsageEvent[]) {
  const combinations = new Combinations();
  const combination = events.map((e) => combinations.numberOf(e));
  const stamps = events.map(stampOf);
  const base = stamps.reduce((a, b) => Math.min(a, b));
  const array = (rows: NewUsageEvent[], [key, , type]: Column) => arrays(rows)((e) => columnValue(e, key), type);
  const names = sql.raw(["created_at", ...eventColumns.map(([, name]) => name), ...sharedColumns.map(([, name]) => name)].join(", "));
  const perEvent = sql.raw(eventColumns.map(([, name]) => `e.${name}`).join(", "));
  const shared = sql.join(sharedColumns.map((c) => sql`(${array(combinations.firsts, c)})[e.combination]`), sql`, `);
  const unnested = sql.join([sql`${arrayLiteral(stamps.map((t) => t - base))}::bigint[]`, ...eventColumns.map((c) => array(events, c)), sql`${arrayLiteral(combination)}::int[]`], sql`, `);
  const aliases = sql.raw(["after_ms", ...eventColumns.map(([, name]) => name), "combination"].join(", "));
  const createdAt = sql`${new Date(base).toISOString()}::timestamptz + e.after_ms * interval '1 millisecond'`;
  return sql`insert into usage_events (${names}) select ${createdAt}, ${perEvent}, ${shared} from unnest(${unnested}) as e(${aliases})`;
}

/** Numbers the distinct combinations of shared values, from 1 (Postgres arrays count from 1). */
class Combinations {
  readonly firsts: NewUsageEvent[] = [];
  // A tree of maps, a level per shared column: no key string is built per event, and Map keys
  // keep null, "" and 200 apart from "200".
  private readonly root = new Map<unknown, unknown>();

  numberOf(e: NewUsageEvent): number {
    let node = this.root;
    for (let i = 0; i < sharedColumns.length - 1; i++) {
      const v = columnValue(e, sharedColumns[i]![0]);
      let next = node.get(v) as Map<unknown, unknown> | undefined;
      if (!next) node.set(v, (next = new Map()));
      node = next;
    }
    const last = columnValue(e, sharedColumns[sharedColumns.length - 1]![0]);
    let n = node.get(last) as number | undefined;
    if (n === undefined) {
      this.firsts.push(e);
      node.set(last, (n = this.firsts.length));
    }
    return n;
  }
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
    const at = stampOf(e);
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
