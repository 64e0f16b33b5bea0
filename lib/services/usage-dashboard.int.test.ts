// The dashboard's overview, from the rollup table that fits each range: both periods' totals
// with percentiles, the chart stacked by the chosen dimension, and the top models and keys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, gte, lt } from "drizzle-orm";
import { apiKeys, usageEvents, workspaces } from "@/db/schema";
import type { DbHandle } from "@/lib/db/client";
import { Meter } from "@/lib/gateway/metering";
import { testDatabase } from "@/lib/testing/database";
import { bucketOf } from "@/lib/usage/histogram";
import type { WorkspaceContext } from "./context";
import { bounds, usageOverview } from "./usage-dashboard";

let handle: DbHandle;
let ctx: WorkspaceContext;
let keys: { id: string; name: string }[];
const now = new Date(Date.UTC(2026, 10, 27, 12, 30));

beforeAll(async () => {
  handle = await testDatabase();
  const [ws] = await handle.db.insert(workspaces).values({ slug: "dash", name: "Dash" }).returning();
  keys = await handle.db
    .insert(apiKeys)
    .values(["alpha", "beta"].map((name, i) => ({ workspaceId: ws!.id, name, prefix: `dashkey${i}`, hashedSecret: "x" })))
    .returning({ id: apiKeys.id, name: apiKeys.name });
  ctx = { workspace: ws!, user: {} as never, via: "system", role: "owner" };
  const meter = new Meter(handle.db);
  // This period (last 7 days): 30 requests a day for 3 days; the period before: 10 in all.
  for (let d = 0; d < 3; d++) {
    for (let i = 0; i < 30; i++) {
      meter.record({ workspaceId: ws!.id, createdAt: new Date(now.getTime() - d * 86_400_000 - i * 60_000), apiKeyId: keys[i % 2]!.id, model: i % 3 ? "small" : "large", endpoint: i % 5 ? "chat" : "fim", origin: "api", promptTokens: 10, completionTokens: 10, costNanos: i % 3 ? 1_000 : 9_000, latencyMs: 100 * (1 + (i % 10)), ttftMs: 40, status: i === 0 ? "error" : "ok", httpStatus: 200, requestId: `d${d}-${i}` });
    }
  }
  for (let i = 0; i < 10; i++) meter.record({ workspaceId: ws!.id, createdAt: new Date(now.getTime() - 10 * 86_400_000), apiKeyId: keys[0]!.id, model: "small", endpoint: "chat", latencyMs: 2000, status: "ok", httpStatus: 200, requestId: `old${i}` });
  await meter.close();
});
afterAll(() => handle.close());

describe("usageOverview", () => {
  it("picks minute, hour or day rows by range, aligned to them", () => {
    expect(bounds("1h", now)).toMatchObject({ step: "minute", to: new Date(Date.UTC(2026, 10, 27, 12, 31)) });
    expect(bounds("7d", now)).toMatchObject({ step: "hour", to: new Date(Date.UTC(2026, 10, 27, 13)) });
    expect(bounds("30d", now)).toMatchObject({ step: "day", to: new Date(Date.UTC(2026, 10, 28)) });
    expect(bounds("last-month", now)).toMatchObject({ step: "day", from: new Date(Date.UTC(2026, 9, 1)), to: new Date(Date.UTC(2026, 10, 1)) });
    expect(bounds("this-month", now)).toMatchObject({ step: "day", from: new Date(Date.UTC(2026, 10, 1)), to: new Date(Date.UTC(2026, 10, 28)) });
  });

  it("gives totals and percentiles against the previous period, the chart stacked by key, and the top models and keys", async () => {
    const o = await usageOverview(handle.db, ctx, { range: "7d", stack: "key" }, now);
    expect(o.step).toBe("hour");
    expect(o.totals).toMatchObject({ requests: 90, errors: 3, promptTokens: 900, completionTokens: 900 });
    expect(o.totals.cost).toBeCloseTo((60 * 1_000 + 30 * 9_000) / 1e9, 12);
    // Estimates fall in the bucket of the true value (buckets are 25% wide).
    expect(bucketOf(o.totals.p50LatencyMs!)).toBe(bucketOf(500));
    expect(bucketOf(o.totals.p95LatencyMs!)).toBe(bucketOf(1000));
    expect(bucketOf(o.totals.p50TtftMs!)).toBe(bucketOf(40));
    expect(o.previous).toMatchObject({ requests: 10, errors: 0, p95TtftMs: null });
    expect(bucketOf(o.previous.p50LatencyMs!)).toBe(bucketOf(2000));
    expect(new Set(o.series.map((p) => p.group))).toEqual(new Set(["alpha", "beta"]));
    expect(o.series.reduce((n, p) => n + p.requests, 0)).toBe(90);
    expect(o.byModel.map((m) => [m.model, m.requests])).toEqual([
      ["large", 30],
      ["small", 60],
    ]);
    expect(o.byKey.map((k) => [k.name, k.requests]).sort()).toEqual([
      ["alpha", 45],
      ["beta", 45],
    ]);
  });

  it("reads whole days from daily rows and the edges from hours or minutes, and still sums every event once", async () => {
    const count = async (from: Date, to: Date, keyId?: string) =>
      (await handle.db.select({ id: usageEvents.id }).from(usageEvents).where(and(eq(usageEvents.workspaceId, ctx.workspace.id), gte(usageEvents.createdAt, from), lt(usageEvents.createdAt, to), keyId ? eq(usageEvents.apiKeyId, keyId) : undefined))).length;
    for (const range of ["1h", "6h", "24h", "7d", "30d", "this-month"] as const) {
      for (const key of [undefined, keys[1]!.id]) {
        const o = await usageOverview(handle.db, ctx, { range, stack: "model", key }, now);
        const { from, to, prevFrom } = bounds(range, now);
        expect([o.totals.requests, o.previous.requests], `${range} ${key ?? ""}`).toEqual([await count(from, to, key), await count(prevFrom, from, key)]);
        expect(o.byModel.reduce((n, m) => n + m.requests, 0)).toBe(o.totals.requests);
        expect(o.series.reduce((n, p) => n + p.requests, 0)).toBe(o.totals.requests);
        // Percentiles exactly when there are requests (from the workspace's histograms unfiltered).
        expect(o.totals.p50LatencyMs === null).toBe(o.totals.requests === 0);
      }
    }
  });

  it("stacks by endpoint on daily rows for a month, and filters by key", async () => {
    const o = await usageOverview(handle.db, ctx, { range: "30d", stack: "endpoint", key: keys[0]!.id }, now);
    expect(o.step).toBe("day");
    expect(o.totals.requests).toBe(55);
    const byEndpoint = Object.fromEntries(["chat", "fim"].map((e) => [e, o.series.filter((p) => p.group === e).reduce((n, p) => n + p.requests, 0)]));
    // alpha takes even i: i % 5 === 0 among 0..28 even is 0, 10, 20 → 3 a day are fim.
    expect(byEndpoint).toEqual({ chat: 10 + 36, fim: 9 });
    expect(o.byKey.map((k) => k.name)).toEqual(["alpha"]);
  });
});
