// Two Bora processes on one Postgres and one Redis enforce one limit, not two. Runs when
// DATABASE_URL and REDIS_URL are set (vitest.config.ts includes it only then).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";
import { startReplica, type Replica } from "@/lib/testing/replica";

let fx: GatewayFixture & { env: Record<string, string> };
let replica: Replica;
let replicaUrl: string;

beforeAll(async () => {
  fx = await startGatewayFixture({ REDIS_URL: process.env.REDIS_URL! });
  replica = await startReplica(fx.env);
  replicaUrl = replica.url;
}, 60_000);

afterAll(async () => {
  await replica?.stop();
  await fx?.close();
});

describe("limits across replicas", () => {
  it("lets exactly 50 of 200 concurrent requests through a 50 RPM key, spread over two processes", async () => {
    const key = await fx.newKey({ rpm: 50 });
    const urls = [fx.bora.url, replicaUrl];
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${urls[i % 2]}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "hi" }] }),
        }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200).length;
    expect(ok).toBe(50);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(150);
    // Both replicas served some of the 50.
    expect(fx.sim.requests.length).toBe(50);
  });

  it("holds a key to 3 requests at once across both processes", async () => {
    const key = await fx.newKey({ maxConcurrent: 3 });
    const urls = [fx.bora.url, replicaUrl];
    fx.sim.options.latencyMs = 400;
    try {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          fetch(`${urls[i % 2]}/v1/chat/completions`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "at once" }] }),
          }),
        ),
      );
      expect(responses.filter((r) => r.status === 200)).toHaveLength(3);
      expect(responses.filter((r) => r.status === 429)).toHaveLength(7);
    } finally {
      fx.sim.options.latencyMs = 0;
    }
  });
});
