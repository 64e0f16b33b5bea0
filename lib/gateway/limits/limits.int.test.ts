// Limits hold exactly under concurrency: requests and tokens per minute, and monthly quotas,
// also for streams that clients abandon.
import { eq, sql } from "drizzle-orm";
import { rowsOf } from "@/lib/db/rows";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, usageEvents } from "@/db/schema";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";
import { monthOf, quotaUsed } from "./monthly-quota";

let fx: GatewayFixture;
beforeAll(async () => {
  fx = await startGatewayFixture();
});
afterAll(() => fx.close());

function call(key: string, body: Record<string, unknown> = {}, signal?: AbortSignal) {
  return fetch(`${fx.bora.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "How many requests fit in a minute?" }], ...body }),
    signal,
  });
}

const keyId = async (secret: string) => (await fx.bora.db.db.select().from(apiKeys).where(eq(apiKeys.prefix, secret.split("_")[1]!)))[0]!.id;

describe("requests per minute", () => {
  it("lets exactly 50 of 200 concurrent requests through a 50 RPM key; the rest get 429 with Retry-After", async () => {
    const key = await fx.newKey({ rpm: 50 });
    const responses = await Promise.all(Array.from({ length: 200 }, () => call(key)));
    const ok = responses.filter((r) => r.status === 200);
    const limited = responses.filter((r) => r.status === 429);
    expect(ok).toHaveLength(50);
    expect(limited).toHaveLength(150);
    for (const r of limited) expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await limited[0]!.json()) as { message: string; code: string };
    expect(body).toMatchObject({ code: "rate_limit:requests_per_minute" });
    expect(body.message).toMatch(/50 requests per minute/);
    const remaining = ok.map((r) => Number(r.headers.get("x-ratelimit-remaining-req-minute"))).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ok[0]!.headers.get("x-ratelimit-limit-requests")).toBe("50");
    expect(fx.sim.requests.length).toBeGreaterThanOrEqual(50);
  });
});

describe("tokens per minute", () => {
  it("reserves prompt + max_tokens before the call and settles to real usage after it", async () => {
    const key = await fx.newKey({ tpm: 1000 });
    // Each reserves its prompt (~20) + 200: at most 4 fit in 1,000 while all are in flight (a slow
    // upstream keeps them there; a fast one would settle some before others arrive).
    fx.sim.options.latencyMs = 300;
    const first = await Promise.all(Array.from({ length: 10 }, () => call(key, { max_tokens: 200 })));
    fx.sim.options.latencyMs = 0;
    const passed = first.filter((r) => r.status === 200).length;
    expect(passed).toBeGreaterThanOrEqual(3);
    expect(passed).toBeLessThanOrEqual(4);
    const refused = first.find((r) => r.status === 429)!;
    expect(((await refused.json()) as { message: string }).message).toMatch(/1000 tokens per minute/);
    // Each really used ~33 tokens; settling gave the rest back, so more now fit.
    await new Promise((r) => setTimeout(r, 100));
    const second = await call(key, { max_tokens: 200 });
    expect(second.status).toBe(200);
    expect(Number(second.headers.get("x-ratelimit-tokens-query-cost"))).toBeGreaterThan(200);
    // A single request larger than the whole limit is refused for what it is.
    const huge = await call(key, { max_tokens: 5000 });
    expect(huge.status).toBe(429);
    expect(((await huge.json()) as { param: string }).param).toBe("max_tokens");
  });
});

describe("monthly token quota", () => {
  it("holds under concurrent streams, counting abandoned ones, and overshoots by at most one request", async () => {
    const quota = 3_000;
    const key = await fx.newKey({ monthlyTokenQuota: quota });
    const id = await keyId(key);
    fx.sim.options.tokensPerSecond = 200;
    let refused = 0;
    let exhausted = false;
    // Waves of 8 concurrent streams until a whole wave is refused: then the quota is spent.
    for (let wave = 0; wave < 80 && !exhausted; wave++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const abort = new AbortController();
          const res = await call(key, { stream: true }, abort.signal);
          if (res.status !== 200) return res.status;
          if (i % 3 === 0) {
            // Abandon a third of the streams after their first bytes.
            const reader = res.body!.getReader();
            await reader.read();
            abort.abort();
          } else await res.text();
          return 200;
        }),
      );
      refused += results.filter((s) => s === 429).length;
      exhausted = results.every((s) => s === 429);
      // Abandoned streams settle their reservations a moment after the client leaves.
      await new Promise((r) => setTimeout(r, 150));
    }
    fx.sim.options.tokensPerSecond = 0;
    expect(exhausted).toBe(true);
    expect(refused).toBeGreaterThanOrEqual(8);
    // Let abandoned streams settle, then compare the ledger with the usage events.
    await new Promise((r) => setTimeout(r, 500));
    await fx.bora.gateway.meter.flush();
    const [sum] = await fx.bora.db.db
      .select({ tokens: sql<number>`coalesce(sum(${usageEvents.promptTokens} + ${usageEvents.completionTokens}), 0)::int` })
      .from(usageEvents)
      .where(eq(usageEvents.apiKeyId, id));
    const used = (await quotaUsed(fx.bora.db.db, id, monthOf())).tokens;
    expect(used).toBe(Number(sum!.tokens));
    const oneRequest = 40 + 256; // prompt plus the default completion allowance
    expect(used).toBeLessThanOrEqual(quota + oneRequest);
    expect(used).toBeGreaterThan(quota - oneRequest); // refused only when a request could not fit
    // Nothing is in flight: nothing is reserved, and this process's holds (what a sweep would give
    // back if it died) agree.
    const [ledger] = rowsOf<{ reserved: number; held: number }>(
      await fx.bora.db.db.execute(sql`select (select reserved_tokens from key_quota_usage where api_key_id = ${id})::int as reserved,
        (select coalesce(sum(tokens), 0) from reservation_holds where target_id = ${id})::int as held`),
    );
    expect(ledger).toEqual({ reserved: 0, held: 0 });
    const last = await call(key);
    expect(last.status).toBe(429);
    expect(((await last.json()) as { code: string }).code).toBe("rate_limit:monthly_tokens");
  });
});

describe("per-model limits", () => {
  it("limits one model apart from the key's others", async () => {
    const key = await fx.newKey({ modelLimits: [{ model: "large", rpm: 2 }] });
    const large = await Promise.all([0, 1, 2].map(() => call(key, { model: "large" })));
    expect(large.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    const refused = large.find((r) => r.status === 429)!;
    expect(((await refused.json()) as { message: string }).message).toMatch(/2 requests per minute on large/);
    const small = await Promise.all([0, 1, 2].map(() => call(key, { model: "small" })));
    expect(small.map((r) => r.status)).toEqual([200, 200, 200]);
  });
});

describe("requests at once", () => {
  it("lets only the key's number of requests run together, streams included, and frees each slot when it ends", async () => {
    const key = await fx.newKey({ maxConcurrent: 2 });
    fx.sim.options.latencyMs = 400;
    try {
      const responses = await Promise.all(Array.from({ length: 5 }, () => call(key)));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 429, 429, 429]);
      const refused = responses.find((r) => r.status === 429)!;
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(await refused.json()).toMatchObject({ code: "rate_limit:concurrency", message: expect.stringMatching(/allows 2 requests at once/) });
      // Slots come back when answers end: two more fit now.
      expect((await Promise.all([call(key), call(key)])).map((r) => r.status)).toEqual([200, 200]);

      // A stream holds its slot until it ends, also when its client goes away.
      fx.sim.options.tokensPerSecond = 5;
      const abort = new AbortController();
      const stream = await call(key, { stream: true }, abort.signal);
      expect(stream.status).toBe(200);
      const [second, third] = await Promise.all([call(key), call(key)]);
      expect([second.status, third.status].sort()).toEqual([200, 429]);
      abort.abort();
      await expect.poll(async () => (await call(key)).status, { timeout: 5_000 }).toBe(200);
    } finally {
      fx.sim.options.latencyMs = 0;
      fx.sim.options.tokensPerSecond = undefined;
    }
  });
});
