// Two Bora processes on one Postgres and one Redis: a key revoked or a limit changed through one
// takes effect on the other at once, through Redis pub/sub, well before the 2 s cache TTL would
// end. Runs when DATABASE_URL and REDIS_URL are set (vitest.config.ts includes it only then).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyCacheTtlMs } from "@/lib/gateway/keys";
import { revokeKey } from "@/lib/services/api-keys";
import { authorize } from "@/lib/services/authorize";
import { setWorkspaceLimits } from "@/lib/services/workspace-budget";
import { createWorkspace } from "@/lib/services/workspaces";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";
import { startReplica, type Replica } from "@/lib/testing/replica";

let fx: GatewayFixture & { env: Record<string, string> };
let replica: Replica;
let replicaUrl: string;
// Far under the TTL: only the notice, not an expired cache entry, can explain a change this fast.
const withinMs = 500;

beforeAll(async () => {
  fx = await startGatewayFixture({ REDIS_URL: process.env.REDIS_URL! });
  replica = await startReplica(fx.env);
  replicaUrl = replica.url;
}, 60_000);

afterAll(async () => {
  await replica?.stop();
  await fx?.close();
});

const chat = (key: string) =>
  fetch(`${replicaUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "hi" }] }),
  });

/** Sends requests to the replica until one gets `status`; returns how long that took. */
async function msUntil(status: number, send: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 2 * keyCacheTtlMs) {
    const res = await send();
    await res.arrayBuffer();
    if (res.status === status) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${status} within ${2 * keyCacheTtlMs} ms`);
}

describe("changes across replicas", () => {
  it("refuses a key on the other process within 500 ms of its revocation", async () => {
    const key = await fx.newKey();
    // The replica has the key in its cache, fresh for the next 2 s.
    expect((await chat(key)).status).toBe(200);
    const ctx = await authorize(fx.bora.db.db, fx.admin, { slug: "default" }, "keys:manage");
    await revokeKey(fx.bora.db.db, ctx, key.split("_")[1]!); // keys read "<kind>_<prefix>_<secret>"
    const ms = await msUntil(401, () => chat(key));
    expect(ms).toBeLessThan(withinMs);
  });

  it("applies a new workspace limit on the other process within 500 ms", async () => {
    // A workspace of its own: the replica's cache of its limits starts fresh with this request.
    await createWorkspace(fx.bora.db.db, fx.admin, { name: "Replicas", slug: "replicas" });
    const key = await fx.newKey({ workspace: "replicas" });
    expect((await chat(key)).status).toBe(200);
    const ctx = await authorize(fx.bora.db.db, fx.admin, { slug: "replicas" }, "workspace:update");
    await setWorkspaceLimits(fx.bora.db.db, ctx, { limits: [{ model: "small", rpm: 1 }] });
    const ms = await msUntil(429, () => chat(key));
    expect(ms).toBeLessThan(withinMs);
  });
});
