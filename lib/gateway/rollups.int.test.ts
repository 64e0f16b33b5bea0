// Minute, hour and day rollups equal the raw events they sum (histograms too, by key × model and
// by workspace) after several meters write at once, a bulk rebuild in SQL writes exactly the same
// rows, and percentiles read from the rollups land within a histogram bucket of the true ones.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  noKey,
  noProvider,
  usageEvents,
  usageLatencyDaily,
  usageLatencyHourly,
  usageLatencyMinute,
  usageLatencyWorkspaceDaily,
  usageLatencyWorkspaceHourly,
  usageLatencyWorkspaceMinute,
  usageRollups,
  usageRollupsDaily,
  usageRollupsMinute,
  type LatencyTable,
  type RollupTable,
  type WorkspaceLatencyTable,
} from "@/db/schema";
import type { DbHandle } from "@/lib/db/client";
import { queryUsage } from "@/lib/services/usage-query";
import { testDatabase } from "@/lib/testing/database";
import { addToHistogram, histogramFrom } from "@/lib/usage/histogram";
import { rebuildLatencySql, rebuildRollupsSql, type RollupUnit } from "@/lib/usage/rebuild";
import { Meter } from "./metering";

let handle: DbHandle;
beforeAll(async () => {
  handle = await testDatabase();
});
afterAll(() => handle.close());

const tables: [RollupUnit, RollupTable, LatencyTable, WorkspaceLatencyTable, number][] = [
  ["minute", usageRollupsMinute, usageLatencyMinute, usageLatencyWorkspaceMinute, 60_000],
  ["hour", usageRollups, usageLatencyHourly, usageLatencyWorkspaceHourly, 3_600_000],
  ["day", usageRollupsDaily, usageLatencyDaily, usageLatencyWorkspaceDaily, 86_400_000],
];

type Row = { bucket: string; dims: string; requests: number; errors: number; prompt: number; completion: number; cost: number; latency: number; ttft: number; streamed: number };
type Hist = { bucket: string; dims: string; latencyHist: number[]; ttftHist: number[] };
const byBucketAndDims = (a: { bucket: string; dims: string }, b: { bucket: string; dims: string }) => (a.bucket + a.dims < b.bucket + b.dims ? -1 : 1);

async function latencyRows(table: LatencyTable | WorkspaceLatencyTable, workspaceId: string, db = handle.db): Promise<Hist[]> {
  const rows: { bucket: Date; apiKeyId?: string; model?: string; latencyHist: unknown; ttftHist: unknown }[] = await db.select().from(table as LatencyTable).where(eq(table.workspaceId, workspaceId));
  return rows.map((r) => ({ bucket: r.bucket.toISOString(), dims: "apiKeyId" in table ? [r.apiKeyId, r.model].join("|") : "", latencyHist: histogramFrom(r.latencyHist), ttftHist: histogramFrom(r.ttftHist) })).sort(byBucketAndDims);
}

async function rollupRows(table: RollupTable, workspaceId: string, db = handle.db): Promise<Row[]> {
  const rows = await db.select().from(table).where(eq(table.workspaceId, workspaceId));
  return rows
    .map((r) => ({
      bucket: r.bucket.toISOString(),
      dims: [r.apiKeyId, r.model, r.providerId, r.endpoint, r.origin].join("|"),
      requests: Number(r.requests),
      errors: Number(r.errors),
      prompt: Number(r.promptTokens),
      completion: Number(r.completionTokens),
      cost: Number(r.costNanos),
      latency: Number(r.latencyMsSum),
      ttft: Number(r.ttftMsSum),
      streamed: Number(r.streamed),
    }))
    .sort(byBucketAndDims);
}

/** The rollups computed here from the raw events as stored. */
async function expectedRows(workspaceId: string, unitMs: number): Promise<{ sums: Row[]; hists: Hist[]; workspaceHists: Hist[] }> {
  const events = await handle.db.select().from(usageEvents).where(eq(usageEvents.workspaceId, workspaceId));
  const byKey = new Map<string, Row>();
  const hists = new Map<string, Hist>();
  const workspaceHists = new Map<string, Hist>();
  for (const e of events) {
    const bucket = new Date(Math.floor(e.createdAt.getTime() / unitMs) * unitMs).toISOString();
    const dims = [e.apiKeyId ?? noKey, e.model, e.providerId ?? noProvider, e.endpoint, e.origin].join("|");
    const id = `${bucket}|${dims}`;
    const r = byKey.get(id) ?? { bucket, dims, requests: 0, errors: 0, prompt: 0, completion: 0, cost: 0, latency: 0, ttft: 0, streamed: 0 };
    byKey.set(id, r);
    const hdims = [e.apiKeyId ?? noKey, e.model].join("|");
    const h = hists.get(`${bucket}|${hdims}`) ?? { bucket, dims: hdims, latencyHist: [], ttftHist: [] };
    hists.set(`${bucket}|${hdims}`, h);
    const w = workspaceHists.get(bucket) ?? { bucket, dims: "", latencyHist: [], ttftHist: [] };
    workspaceHists.set(bucket, w);
    r.requests++;
    if (e.status !== "ok") r.errors++;
    r.prompt += e.promptTokens;
    r.completion += e.completionTokens;
    r.cost += e.costNanos;
    r.latency += e.latencyMs;
    addToHistogram(h.latencyHist, e.latencyMs);
    addToHistogram(w.latencyHist, e.latencyMs);
    if (e.ttftMs !== null) {
      r.ttft += e.ttftMs;
      r.streamed++;
      addToHistogram(h.ttftHist, e.ttftMs);
      addToHistogram(w.ttftHist, e.ttftMs);
    }
  }
  return { sums: [...byKey.values()].sort(byBucketAndDims), hists: [...hists.values()].sort(byBucketAndDims), workspaceHists: [...workspaceHists.values()].sort(byBucketAndDims) };
}

describe("usage rollups", () => {
  const workspaceId = "3f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c44";

  it("equal the raw events per minute, hour and day with three meters writing at once", async () => {
    const meters = [new Meter(handle.db), new Meter(handle.db), new Meter(handle.db)];
    // Across minutes, an hour boundary and a day boundary.
    const base = Date.UTC(2026, 10, 26, 23, 58, 10);
    const providers = [null, "4f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c55", "5f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c66"];
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 1800; i++) {
      meters[i % 3]!.record({
        workspaceId,
        createdAt: new Date(base + (i % 9) * 40_000 + (i % 4) * 3_600_000),
        model: ["a", "b", "c"][i % 3]!,
        apiKeyId: i % 5 === 0 ? null : "2f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c33",
        providerId: providers[i % providers.length],
        endpoint: ["chat", "fim", "embeddings"][i % 7 % 3]!,
        promptTokens: i % 17,
        completionTokens: i % 11,
        costNanos: i * 1_000,
        latencyMs: i % 50 === 0 ? 0 : (i * 37) % 90_000,
        ttftMs: i % 2 ? (i * 13) % 5_000 : null,
        status: i % 10 === 0 ? "error" : "ok",
        origin: i % 6 === 0 ? "playground" : "api",
        httpStatus: 200,
        requestId: `r${i}`,
      });
      if (i % 200 === 0) writes.push(...meters.map((m) => m.flush()));
    }
    await Promise.all([...writes, ...meters.map((m) => m.close())]);
    const [{ n }] = (await handle.db.select({ n: sql<number>`count(*)::int` }).from(usageEvents).where(eq(usageEvents.workspaceId, workspaceId))) as [{ n: number }];
    expect(n).toBe(1800);
    for (const [unit, table, latency, workspaceLatency, unitMs] of tables) {
      const expected = await expectedRows(workspaceId, unitMs);
      expect(await rollupRows(table, workspaceId), unit).toEqual(expected.sums);
      const hists = await latencyRows(latency, workspaceId);
      expect(hists, unit).toEqual(expected.hists);
      expect(await latencyRows(workspaceLatency, workspaceId), unit).toEqual(expected.workspaceHists);
      expect(hists.reduce((s, r) => s + r.latencyHist.reduce((a, b) => a + b, 0), 0)).toBe(1800);
      expect(hists.reduce((s, r) => s + r.ttftHist.reduce((a, b) => a + b, 0), 0)).toBe(900);
    }
    expect(new Set((await rollupRows(usageRollupsDaily, workspaceId)).map((r) => r.bucket))).toEqual(new Set(["2026-11-26T00:00:00.000Z", "2026-11-27T00:00:00.000Z"]));
  });

  it("rebuilt in bulk from the events, are the same rows the meter wrote", async () => {
    const written = await Promise.all(tables.map(([, table, latency, workspaceLatency]) => Promise.all([rollupRows(table, workspaceId), latencyRows(latency, workspaceId), latencyRows(workspaceLatency, workspaceId)])));
    const rollback = new Error("rollback");
    await expect(
      handle.db.transaction(async (tx) => {
        for (const [unit, table, latency, workspaceLatency] of tables) {
          await tx.delete(table).where(eq(table.workspaceId, workspaceId));
          await tx.delete(latency).where(eq(latency.workspaceId, workspaceId));
          await tx.delete(workspaceLatency).where(eq(workspaceLatency.workspaceId, workspaceId));
          await tx.execute(rebuildRollupsSql(unit, { workspaceId }));
          await tx.execute(rebuildLatencySql(unit, { workspaceId }));
          await tx.execute(rebuildLatencySql(unit, { workspaceId }, "workspace"));
        }
        const rebuilt = [];
        for (const [, table, latency, workspaceLatency] of tables) {
          rebuilt.push([await rollupRows(table, workspaceId, tx as never), await latencyRows(latency, workspaceId, tx as never), await latencyRows(workspaceLatency, workspaceId, tx as never)]);
        }
        expect(rebuilt).toEqual(written);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it("give p50 and p95 of latency and time to first token within a bucket of the true values", async () => {
    const ws = "6f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c77";
    const meter = new Meter(handle.db);
    const at = new Date(Date.UTC(2026, 10, 20, 12, 0));
    // Latencies 1..1000 ms; times to first token 10, 20, … 2000 ms on every other request.
    for (let i = 1; i <= 1000; i++) meter.record({ workspaceId: ws, createdAt: at, model: "m", endpoint: "chat", latencyMs: i, ttftMs: i % 2 ? null : i * 2, status: "ok", httpStatus: 200, requestId: `p${i}` });
    await meter.close();
    // Bucketed by the table's own unit, each table is read; unfiltered from the workspace's
    // histograms, filtered by model from the key × model ones.
    for (const [table, filters] of (["minute", "hour", "day"] as const).flatMap((t) => [[t, {}] as const, [t, { model: "m" }] as const])) {
      const [totals] = await queryUsage(handle.db, { workspaceId: ws, from: new Date(Date.UTC(2026, 10, 20)), to: new Date(Date.UTC(2026, 10, 21)), table, bucket: table, filters, percentiles: true });
      expect(totals!.requests).toBe(1000);
      // Buckets are 25% wide: an estimate inside the right bucket is within 12.5% of the truth.
      expect(Math.abs(totals!.p50LatencyMs! - 500) / 500).toBeLessThan(0.125);
      expect(Math.abs(totals!.p95LatencyMs! - 950) / 950).toBeLessThan(0.125);
      expect(Math.abs(totals!.p50TtftMs! - 1000) / 1000).toBeLessThan(0.125);
      expect(Math.abs(totals!.p95TtftMs! - 1900) / 1900).toBeLessThan(0.125);
      expect(totals!.avgLatencyMs).toBe(500.5);
    }
  });
});
