// Bora split into processes on one Postgres and one Redis, each started as operators start it:
// two `bora serve --gateway` replicas and one `bora serve --worker`, beside a console process
// (this test's own, which serves neither /v1 nor the workers). Runs when DATABASE_URL and
// REDIS_URL are set (vitest.config.ts includes it only then).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, keyQuotaUsage, reservationHolds, usageEvents } from "@/db/schema";
import { reclaimDeadHolds } from "@/lib/gateway/limits/holds";
import { keyCacheTtlMs } from "@/lib/gateway/keys";
import { revokeKey } from "@/lib/services/api-keys";
import { authorize } from "@/lib/services/authorize";
import { setWorkspaceLimits } from "@/lib/services/workspace-budget";
import { createWorkspace } from "@/lib/services/workspaces";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";
import { startReplica, type Replica } from "@/lib/testing/replica";

let fx: GatewayFixture & { env: Record<string, string> };
let gateways: Replica[];
let worker: Replica;
let filesDir: string;

beforeAll(async () => {
  // Files uploaded through one process are read by another: one directory for all of them.
  filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-files-"));
  fx = await startGatewayFixture({ REDIS_URL: process.env.REDIS_URL!, BORA_FILES_DIR: filesDir }, { mode: "console" });
  [gateways, worker] = await Promise.all([Promise.all([startReplica(fx.env, "gateway"), startReplica(fx.env, "gateway")]), startReplica(fx.env, "worker")]);
}, 90_000);

afterAll(async () => {
  await Promise.all([...(gateways ?? []), worker].filter(Boolean).map((r) => r.stop()));
  await fx?.close();
  fs.rmSync(filesDir, { recursive: true, force: true });
});

const json = { "content-type": "application/json" };
const chat = (url: string, key: string, content = "hi", extra: Record<string, unknown> = {}) =>
  fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { ...json, authorization: `Bearer ${key}` }, body: JSON.stringify({ model: "small", messages: [{ role: "user", content }], ...extra }) });

async function keyId(secret: string): Promise<string> {
  const [row] = await fx.bora.db.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.prefix, secret.split("_")[1]!));
  return row!.id;
}

/** Sends to each gateway until it answers `status`; returns how long each took (ms) from `since`. */
async function untilEach(status: number, since: number, send: (url: string) => Promise<Response>): Promise<number[]> {
  return Promise.all(
    gateways.map(async (g) => {
      while (performance.now() - since < 2 * keyCacheTtlMs) {
        if ((await send(g.url)).status === status) return performance.now() - since;
        await new Promise((r) => setTimeout(r, 10));
      }
      return Infinity;
    }),
  );
}

/** Waits until `read` gives `expected` (meters flush every half second), then returns it. */
async function eventually<T>(read: () => Promise<T>, expected: T, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

describe("split process modes", () => {
  it("serves /v1 only from gateways, the console only from the console process", async () => {
    expect((await chat(gateways[0]!.url, fx.key)).status).toBe(200);
    const onConsole = await chat(fx.bora.url, fx.key);
    expect(onConsole.status).toBe(404);
    expect(((await onConsole.json()) as { message: string }).message).toMatch(/does not serve \/v1/);
    // A worker's /v1 takes only its own batch lines.
    expect((await chat(worker.url, fx.key)).status).toBe(404);
    expect((await fetch(`${gateways[0]!.url}/api/manage/users`)).status).toBe(404);
    for (const r of [...gateways, worker]) expect((await fetch(`${r.url}/readyz`)).status).toBe(200);
  });

  it("lets exactly 50 of 200 concurrent requests through a 50 RPM key over two gateways, each metered once", async () => {
    const key = await fx.newKey({ rpm: 50 });
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => chat(gateways[i % 2]!.url, key, `n ${i}`)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(150);
    // The 50 are 50 different requests.
    const served = new Set(responses.filter((r) => r.status === 200).map((r) => r.headers.get("x-request-id")));
    expect(served.size).toBe(50);
    const id = await keyId(key);
    const okEvents = () => fx.bora.db.db.select({ n: count(), distinct: sql<number>`count(distinct ${usageEvents.requestId})::int` }).from(usageEvents).where(and(eq(usageEvents.apiKeyId, id), eq(usageEvents.status, "ok")));
    expect(await eventually(okEvents, [{ n: 50, distinct: 50 }])).toEqual([{ n: 50, distinct: 50 }]);
  });

  it("holds a key to 3 requests at once across both gateways", async () => {
    const key = await fx.newKey({ maxConcurrent: 3 });
    fx.sim.options.latencyMs = 400;
    try {
      const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => chat(gateways[i % 2]!.url, key, "at once")))).map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    } finally {
      fx.sim.options.latencyMs = 0;
    }
  });

  // The goal is two seconds; Redis pub/sub does it far under the key cache's TTL (2 s), so only
  // the notice, not an expired cache entry, can explain a change this fast.
  const noticeMs = 500;

  it("refuses a key revoked through the console on both gateways within 500 ms", async () => {
    const key = await fx.newKey();
    // Both gateways have the key in their caches, fresh for the next 2 s.
    for (const g of gateways) expect((await chat(g.url, key)).status).toBe(200);
    const ctx = await authorize(fx.bora.db.db, fx.admin, { slug: "default" }, "keys:manage");
    const started = performance.now();
    await revokeKey(fx.bora.db.db, ctx, key.split("_")[1]!);
    for (const ms of await untilEach(401, started, (url) => chat(url, key))) expect(ms).toBeLessThan(noticeMs);
  });

  it("applies a new workspace limit on both gateways within 500 ms", async () => {
    // A workspace of its own: the gateways' caches of its limits start fresh with these requests.
    await createWorkspace(fx.bora.db.db, fx.admin, { name: "Replicas", slug: "replicas" });
    const keys = [await fx.newKey({ workspace: "replicas" }), await fx.newKey({ workspace: "replicas" })];
    for (const [i, g] of gateways.entries()) expect((await chat(g.url, keys[i]!)).status).toBe(200);
    const ctx = await authorize(fx.bora.db.db, fx.admin, { slug: "replicas" }, "workspace:update");
    const started = performance.now();
    await setWorkspaceLimits(fx.bora.db.db, ctx, { limits: [{ model: "small", rpm: 2 }] });
    // Two requests so far this minute: the next one on either gateway is over the new limit.
    for (const ms of await untilEach(429, started, (url) => chat(url, keys[0]!))) expect(ms).toBeLessThan(noticeMs);
  });

  it("runs a batch created through a gateway on the worker, each line once", async () => {
    const key = await fx.newKey();
    const auth = { ...json, authorization: `Bearer ${key}` };
    const total = 40;
    const requests = Array.from({ length: total }, (_, i) => ({ custom_id: `line-${i}`, body: { messages: [{ role: "user", content: `batch line ${i}` }] } }));
    const created = await fetch(`${gateways[1]!.url}/v1/batch/jobs`, { method: "POST", headers: auth, body: JSON.stringify({ requests, endpoint: "/v1/chat/completions", model: "small" }) });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    type Job = { status: string; succeeded_requests: number; output_file: string | null };
    let job: Job;
    const deadline = Date.now() + 30_000;
    do {
      await new Promise((r) => setTimeout(r, 200));
      job = (await (await fetch(`${gateways[0]!.url}/v1/batch/jobs/${id}`, { headers: auth })).json()) as Job;
    } while (job.status !== "SUCCESS" && Date.now() < deadline);
    expect(job.status).toBe("SUCCESS");
    expect(job.succeeded_requests).toBe(total);
    const output = await (await fetch(`${gateways[0]!.url}/v1/files/${job.output_file}/content`, { headers: auth })).text();
    const ids = output.trim().split("\n").map((l) => (JSON.parse(l) as { custom_id: string }).custom_id);
    expect(ids.sort()).toEqual(requests.map((r) => r.custom_id).sort());
    // The upstream saw each line once.
    const upstream = fx.sim.requests.filter((r) => /^batch line \d+$/.test(String((r.body.messages as { content: string }[] | undefined)?.[0]?.content)));
    expect(upstream).toHaveLength(total);
    const batchEvents = () => fx.bora.db.db.select({ n: count() }).from(usageEvents).where(eq(usageEvents.batchId, id));
    expect(await eventually(batchEvents, [{ n: total }])).toEqual([{ n: total }]);
  });

  it("drains a gateway on SIGTERM: its stream finishes while the other gateway keeps serving", async () => {
    const key = await fx.newKey();
    const [leaving, staying] = gateways as [Replica, Replica];
    fx.sim.options.tokensPerSecond = 25;
    try {
      const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
      const res = await chat(leaving.url, key, words, { stream: true });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value);
      const exited = new Promise<number | null>((resolve) => leaving.child.once("exit", (code) => resolve(code)));
      leaving.child.kill("SIGTERM");
      // While the stream goes on, the other gateway serves, and the leaving one takes no one new.
      await new Promise((r) => setTimeout(r, 100));
      expect((await chat(staying.url, key)).status).toBe(200);
      await expect(chat(leaving.url, key)).rejects.toThrow();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
      expect(text).toContain("word29");
      expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
      expect(await exited).toBe(0);
      // Its usage was written before it exited.
      const id = await keyId(key);
      const streamed = await fx.bora.db.db.select({ status: usageEvents.status, completion: usageEvents.completionTokens }).from(usageEvents).where(and(eq(usageEvents.apiKeyId, id), sql`${usageEvents.ttftMs} is not null`));
      expect(streamed).toHaveLength(1);
      expect(streamed[0]!.status).toBe("ok");
      expect(streamed[0]!.completion).toBeGreaterThan(30);
    } finally {
      fx.sim.options.tokensPerSecond = 0;
    }
  });

  it("gives back the monthly quota a gateway killed mid-request had reserved", async () => {
    const key = await fx.newKey({ monthlyTokenQuota: 1_000_000 });
    const id = await keyId(key);
    const gateway = gateways[1]!;
    const reserved = async () => (await fx.bora.db.db.select({ tokens: keyQuotaUsage.reservedTokens }).from(keyQuotaUsage).where(eq(keyQuotaUsage.apiKeyId, id)))[0]?.tokens ?? 0;
    fx.sim.options.latencyMs = 5_000;
    try {
      const pending = chat(gateway.url, key, "never answered").catch(() => undefined);
      expect(await eventually(async () => (await reserved()) > 0, true)).toBe(true);
      gateway.child.kill("SIGKILL");
      await pending;
    } finally {
      fx.sim.options.latencyMs = 0;
    }
    // Still reserved: nobody settled it. Any live process's sweep gives it back once the dead
    // one has missed its heartbeats; the test sweeps itself with a short bound instead of 30 s.
    expect(await reserved()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_100));
    const reclaimed = await reclaimDeadHolds(fx.bora.db.db, 1_000);
    expect(reclaimed.holds).toBeGreaterThanOrEqual(1);
    expect(await reserved()).toBe(0);
    const held = await fx.bora.db.db.select({ n: count() }).from(reservationHolds).where(eq(reservationHolds.targetId, id));
    expect(held).toEqual([{ n: 0 }]);
  });
});
