// `npm run bench:usage`: seeds 90 days of usage (10 million events on Postgres when DATABASE_URL
// is set, in a database of its own that is dropped after; one million on PGlite otherwise),
// builds the rollups with the same GROUP BY the tests prove equal to the meter's, then times
// the dashboard's queries for a 30-day range (and a few others). Prints a Markdown table and
// writes bench/results/usage-<driver>.md. BENCH_EVENTS overrides the number of events;
// BENCH_KEEP=1 keeps the Postgres database, and BENCH_REUSE=1 times it again without seeding;
// BENCH_DB names that database (bora_bench_usage), so runs on a shared server do not collide.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { apiKeys, workspaces, type Workspace } from "@/db/schema";
import { openDatabase, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { rowsOf } from "@/lib/db/rows";
import type { WorkspaceContext } from "@/lib/services/context";
import { usageEventsPage } from "@/lib/services/usage";
import { bounds, usageOverview } from "@/lib/services/usage-dashboard";
import { queryUsage } from "@/lib/services/usage-query";
import { rebuildLatencySql, rebuildRollupsSql } from "@/lib/usage/rebuild";

const onPostgres = Boolean(process.env.DATABASE_URL);
const total = Number(process.env.BENCH_EVENTS ?? (onPostgres ? 10_000_000 : 1_000_000));
const days = 90;
const keyCount = 40;
const chunk = 1_000_000;
const dbName = process.env.BENCH_DB ?? "bora_bench_usage";
if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`BENCH_DB: not a plain database name: ${dbName}`);
const reuse = onPostgres && Boolean(process.env.BENCH_REUSE);

// Models with their share of traffic and price per million tokens (in, out), a realistic mix:
// mostly small and cheap, some large, embeddings.
const models = [
  ["mistral-small", 0.1, 0.3],
  ["mistral-medium", 0.4, 2],
  ["mistral-large", 2, 6],
  ["codestral", 0.3, 0.9],
  ["mistral-embed", 0.1, 0],
  ["ministral-8b", 0.1, 0.1],
] as const;

const log = (msg: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function openBenchDb(): Promise<{ handle: DbHandle; drop: () => Promise<void> }> {
  if (!onPostgres) {
    const handle = await openDatabase({ pgliteDir: "memory://" });
    await migrate(handle);
    return { handle, drop: async () => {} };
  }
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  if (!reuse) {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.unsafe(`create database ${dbName}`);
  }
  await admin.end();
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${dbName}`;
  const handle = await openDatabase({ databaseUrl: url.toString() });
  await migrate(handle);
  return {
    handle,
    async drop() {
      await handle.close();
      if (process.env.BENCH_KEEP) return;
      const a = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${dbName} with (force)`);
      await a.end();
    },
  };
}

async function seed(handle: DbHandle, now: Date): Promise<Workspace> {
  const { db } = handle;
  const wss = await db
    .insert(workspaces)
    .values([0, 1, 2].map((i) => ({ slug: `bench-${i}`, name: `Bench ${i}` })))
    .returning();
  const keys = await db
    .insert(apiKeys)
    .values(wss.flatMap((ws) => Array.from({ length: keyCount }, (_, i) => ({ workspaceId: ws.id, name: `key ${i}`, prefix: crypto.randomBytes(6).toString("hex"), hashedSecret: "x" }))))
    .returning({ id: apiKeys.id });
  const providerIds = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const start = new Date(now.getTime() - days * 86_400_000);
  const lit = (xs: readonly (string | number)[]) => `'{${xs.join(",")}}'`;
  const mdl = sql.raw(`(${lit(models.map((m) => `"${m[0]}"`))}::text[])`);
  const pin = sql.raw(`(${lit(models.map((m) => m[1]))}::float8[])`);
  const pout = sql.raw(`(${lit(models.map((m) => m[2]))}::float8[])`);
  const ks = sql.raw(`(${lit(keys.map((k) => k.id))}::uuid[])`);
  const wsArr = sql.raw(`(${lit(wss.map((w) => w.id))}::uuid[])`);
  const prov = sql.raw(`(${lit(providerIds)}::uuid[])`);
  // Events in time order (ids grow with time, as metered), spread evenly over the 90 days. The
  // main workspace gets 80%; keys skewed (a few busy ones); latency roughly log-normal.
  for (let from = 0; from < total; from += chunk) {
    const to = Math.min(total, from + chunk);
    await db.execute(sql`
      insert into usage_events (created_at, workspace_id, api_key_id, model, provider_id, endpoint, prompt_tokens, completion_tokens, cost_nanos, latency_ms, ttft_ms, status, http_status, error_type, request_id, origin)
      select created_at, workspace_id, api_key_id, model, provider_id, endpoint, pt, ct,
        (pt * ${pin}[m] + ct * ${pout}[m]) * 1000, latency, case when streamed then least(latency, (latency * (0.1 + 0.3 * random()))::int) end,
        case when failed then 'error' else 'ok' end, case when failed then 502 else 200 end, case when failed then 'upstream_error' end,
        'req_' || g, case when g % 20 = 0 then 'playground' when g % 20 = 1 then 'batch' else 'api' end
      from (
        select g, ${start.toISOString()}::timestamptz + (g::float8 / ${total}) * interval '${sql.raw(String(days))} days' as created_at,
          w, ${wsArr}[w] as workspace_id, ${ks}[(w - 1) * ${keyCount} + 1 + floor(${keyCount} * power(random(), 2))::int] as api_key_id,
          m, ${mdl}[m] as model, ${prov}[1 + (m % 3)] as provider_id,
          case when m = 5 then 'embeddings' when m = 4 then 'fim' else 'chat' end as endpoint,
          (50 + power(random(), 3) * 8000)::int as pt, case when m = 5 then 0 else (10 + power(random(), 2) * 1500)::int end as ct,
          least(600000, (exp(ln(700) + 0.9 * (random() + random() + random() - 1.5) * 2)))::int as latency,
          m <> 5 and random() < 0.6 as streamed, random() < 0.02 as failed
        from (select g, case when g % 10 < 8 then 1 else 2 + g % 2 end as w, 1 + floor(6 * power(random(), 1.6))::int as m from generate_series(${from + 1}::bigint, ${to}::bigint) g) s
      ) e`);
    log(`events: ${to.toLocaleString("en")} / ${total.toLocaleString("en")}`);
  }
  // Rollups as the meter would have written them: hour and day from every event, minutes for
  // the days they are kept.
  if (onPostgres) await db.execute(sql`set work_mem = '256MB'`);
  for (const unit of ["hour", "day", "minute"] as const) {
    const range = unit === "minute" ? { from: new Date(now.getTime() - 3 * 86_400_000) } : {};
    await db.execute(rebuildRollupsSql(unit, range));
    await db.execute(rebuildLatencySql(unit, range));
    await db.execute(rebuildLatencySql(unit, range, "workspace"));
    log(`${unit} rollups built`);
  }
  if (onPostgres) await db.execute(sql`vacuum analyze`);
  else await db.execute(sql`analyze`);
  return wss[0]!;
}

async function time(fn: () => Promise<unknown>, runs = 7): Promise<{ median: number; max: number }> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, max: ms.at(-1)! };
}

async function main() {
  let now = new Date();
  const { handle, drop } = await openBenchDb();
  try {
    // A reused seed ends when it was made: time the ranges up to then (ids grow with time).
    if (reuse) {
      const [last] = rowsOf<{ at: string }>(await handle.db.execute(sql`select created_at as at from usage_events order by id desc limit 1`));
      if (last) now = new Date(last.at);
    }
    const t0 = performance.now();
    const ws = reuse ? (await handle.db.select().from(workspaces).where(eq(workspaces.slug, "bench-0")))[0]! : await seed(handle, now);
    const seedSeconds = (performance.now() - t0) / 1000;
    const { db } = handle;
    const [c] = rowsOf<Record<string, string>>(await db.execute(sql`select (select count(*) from usage_events) as events, (select count(*) from usage_rollups_minute) as minute, (select count(*) from usage_rollups_hourly) as hourly, (select count(*) from usage_rollups_daily) as daily, (select sum(requests) from usage_rollups_daily) as rolled`));
    if (Number(c!.events) !== Number(c!.rolled)) throw new Error(`rollups sum ${c!.rolled} requests, events ${c!.events}`);
    const ctx = { workspace: { ...ws, timeZone: "UTC" }, user: {} as never, via: "system", role: "owner" } as WorkspaceContext;
    // The overview's totals, read from days and edge hours or minutes, must equal the raw events.
    for (const range of ["30d", "7d", "1h"] as const) {
      const o = await usageOverview(db, ctx, { range, stack: "model" }, now);
      const { from, to, prevFrom } = bounds(range, now);
      const count = async (a: Date, b: Date) => Number(rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from usage_events where workspace_id = ${ws.id} and created_at >= ${a.toISOString()}::timestamptz and created_at < ${b.toISOString()}::timestamptz`))[0]!.n);
      const [cur, prev] = [await count(from, to), await count(prevFrom, from)];
      if (o.totals.requests !== cur || o.previous.requests !== prev) throw new Error(`${range}: overview ${o.totals.requests} / ${o.previous.requests} requests, events ${cur} / ${prev}`);
    }
    const range30 = bounds("30d", now);
    const firstPage = await usageEventsPage(db, ctx, { limit: 50, from: range30.from, to: range30.to });
    const cases: [string, () => Promise<unknown>][] = [
      ["overview, 30 days (totals + previous period, p50/p95, chart by model, top models, top keys)", () => usageOverview(db, ctx, { range: "30d", stack: "model" }, now)],
      ["overview, 30 days, chart stacked by key", () => usageOverview(db, ctx, { range: "30d", stack: "key" }, now)],
      ["breakdown, 30 days: top keys", () => queryUsage(db, { workspaceId: ws.id, from: range30.from, to: range30.to, table: "day", groupBy: ["key"] })],
      ["breakdown, 30 days: top models", () => queryUsage(db, { workspaceId: ws.id, from: range30.from, to: range30.to, table: "day", groupBy: ["model"] })],
      ["request log, 30 days: first page (50)", () => usageEventsPage(db, ctx, { limit: 50, from: range30.from, to: range30.to })],
      ["request log, 30 days: next page (cursor)", () => usageEventsPage(db, ctx, { limit: 50, from: range30.from, to: range30.to, before: firstPage.at(-1)!.id })],
      ["overview, 90 days", () => usageOverview(db, ctx, { range: "90d", stack: "model" }, now)],
      ["overview, 7 days (hourly rows)", () => usageOverview(db, ctx, { range: "7d", stack: "model" }, now)],
      ["overview, 1 hour (minute rows)", () => usageOverview(db, ctx, { range: "1h", stack: "model" }, now)],
    ];
    const rows: string[] = [];
    for (const [name, fn] of cases) {
      const t = await time(fn);
      rows.push(`| ${name} | ${t.median.toFixed(1)} | ${t.max.toFixed(1)} |`);
      log(`${name}: ${t.median.toFixed(1)} ms`);
    }
    const out = [
      `${onPostgres ? "Postgres" : "PGlite"}, ${Number(c!.events).toLocaleString("en")} events over ${days} days (3 workspaces, ${keyCount} keys each, ${models.length} models); rollup rows: ${Number(c!.minute).toLocaleString("en")} minute, ${Number(c!.hourly).toLocaleString("en")} hourly, ${Number(c!.daily).toLocaleString("en")} daily; seeding and rollups took ${seedSeconds.toFixed(0)} s.`,
      "",
      "| query (main workspace, 80% of events) | median ms | max ms (7 runs) |",
      "|---|---|---|",
      ...rows,
    ].join("\n");
    console.log(out);
    fs.mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true });
    fs.writeFileSync(path.join(import.meta.dirname, "results", `usage-${onPostgres ? "postgres" : "pglite"}.md`), out + "\n");
  } finally {
    await drop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
