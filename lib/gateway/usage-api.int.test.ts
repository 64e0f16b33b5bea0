// GET /v1/usage: only keys with the usage:read scope (others 403 in the API's error shape), bad
// parameters 400 naming the parameter, and grouped sums per day and hour equal to what was metered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize } from "@/lib/services/authorize";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";
import { Meter } from "./metering";

let fx: GatewayFixture;
let reader: string;
let workspaceId: string;
let keyId: string;

const day = Date.UTC(2026, 9, 14);
const get = (query: string, key = reader) => fetch(`${fx.bora.url}/v1/usage?${query}`, { headers: { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  fx = await startGatewayFixture();
  reader = await fx.newKey({ scopes: ["usage:read"] });
  const ctx = await authorize(fx.bora.db.db, fx.admin, { slug: "default" }, "keys:manage");
  workspaceId = ctx.workspace.id;
  keyId = (await fx.bora.db.db.query.apiKeys.findFirst({ where: (k, { eq }) => eq(k.prefix, reader.split("_")[1]!) }))!.id;
  // Two days of traffic on two models, from a key and from the playground, metered as the gateway does.
  const meter = new Meter(fx.bora.db.db);
  for (let i = 0; i < 240; i++) {
    meter.record({
      workspaceId,
      createdAt: new Date(day + (i % 48) * 3_600_000 + 60_000),
      apiKeyId: i % 4 === 0 ? null : keyId,
      origin: i % 4 === 0 ? "playground" : "api",
      model: i % 3 === 0 ? "large" : "small",
      endpoint: "chat",
      promptTokens: 10,
      completionTokens: i % 3 === 0 ? 20 : 5,
      costNanos: i % 3 === 0 ? 140_000 : 2_500,
      latencyMs: 100 + i,
      ttftMs: i % 2 ? 50 : null,
      status: i % 10 === 0 ? "error" : "ok",
      httpStatus: i % 10 === 0 ? 502 : 200,
      requestId: `u${i}`,
    });
  }
  await meter.close();
});
afterAll(() => fx?.close());

describe("GET /v1/usage", () => {
  it("refuses keys without the usage:read scope with 403 in the API's error shape", async () => {
    const res = await get("start=2026-10-14", fx.key);
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body).toMatchObject({ object: "error", type: expect.any(String), code: expect.any(String), request_id: expect.any(String) });
    expect(body.message).toMatch(/usage:read/);
  });

  it("answers 400 naming the bad parameter", async () => {
    const cases: [string, string][] = [
      ["", "start"],
      ["start=yesterday", "start"],
      ["start=2026-10-14&end=2026-10-13", "end"],
      ["start=2026-10-14&granularity=week", "granularity"],
      ["start=2026-10-14&group_by=model,colour", "group_by"],
      ["start=2020-01-01&end=2026-01-01&granularity=hour", "granularity"],
      ["start=2026-10-14&granularity=minute", "start"],
      ["start=2026-10-14&limit=5", "limit"],
    ];
    for (const [query, param] of cases) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      const body = await res.json();
      expect(body, query).toMatchObject({ object: "error", param });
    }
  });

  it("gives per-day sums grouped by model and key, in ISO 8601 and US dollars", async () => {
    const res = await get("start=2026-10-14T00:00:00Z&end=2026-10-16T00:00:00Z&granularity=day&group_by=model,key");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ object: "usage", start: "2026-10-14T00:00:00.000Z", end: "2026-10-16T00:00:00.000Z", granularity: "day", group_by: ["model", "key"], currency: "USD" });
    // Expected sums computed from the same loop.
    const expected = new Map<string, { requests: number; errors: number; prompt: number; completion: number; costNanos: number }>();
    for (let i = 0; i < 240; i++) {
      const d = new Date(day + Math.floor((i % 48) / 24) * 86_400_000).toISOString();
      const id = `${d}|${i % 3 === 0 ? "large" : "small"}|${i % 4 === 0 ? null : keyId}`;
      const e = expected.get(id) ?? { requests: 0, errors: 0, prompt: 0, completion: 0, costNanos: 0 };
      e.requests++;
      e.errors += i % 10 === 0 ? 1 : 0;
      e.prompt += 10;
      e.completion += i % 3 === 0 ? 20 : 5;
      e.costNanos += i % 3 === 0 ? 140_000 : 2_500;
      expected.set(id, e);
    }
    expect(body.data).toHaveLength(expected.size);
    for (const row of body.data) {
      const e = expected.get(`${row.start}|${row.model}|${row.key_id}`)!;
      expect(row).toMatchObject({ requests: e.requests, errors: e.errors, prompt_tokens: e.prompt, completion_tokens: e.completion, total_tokens: e.prompt + e.completion, key_name: row.key_id ? "test key" : "Playground" });
      expect(row.cost).toBeCloseTo(e.costNanos / 1e9, 12);
      expect(Date.parse(row.end) - Date.parse(row.start)).toBe(86_400_000);
    }
    expect(body.totals).toMatchObject({ requests: 240, errors: 24, prompt_tokens: 2400 });
    expect(body.totals.cost).toBeCloseTo((80 * 140_000 + 160 * 2_500) / 1e9, 12);
    expect(body.totals.latency_ms.p50).toBeGreaterThan(100);
    expect(body.totals.ttft_ms.p50).toBeGreaterThan(40);
    expect(body.totals.ttft_ms.p50).toBeLessThan(60);
  });

  it("gives hourly buckets, widening the range to whole hours, and filters by model", async () => {
    const res = await get("start=2026-10-14T05:30:00Z&end=2026-10-14T08:10:00Z&granularity=hour&model=large");
    const body = await res.json();
    expect(body.start).toBe("2026-10-14T05:00:00.000Z");
    expect(body.end).toBe("2026-10-14T09:00:00.000Z");
    // Hours 5..8 of the first day: i % 48 in 5..8, i < 240, i % 3 === 0.
    const expected = [5, 6, 7, 8].map((h) => ({ start: new Date(day + h * 3_600_000).toISOString(), requests: [0, 1, 2, 3, 4].map((k) => h + 48 * k).filter((i) => i % 3 === 0).length }));
    expect(body.data.map((r: { start: string; requests: number }) => ({ start: r.start, requests: r.requests }))).toEqual(expected.filter((e) => e.requests > 0));
  });
});
