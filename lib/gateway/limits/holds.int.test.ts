// A process taken for dead after a long stall has its holds given back by another; when it
// wakes and its requests settle, they must not give the same reservations back a second time,
// or other processes' live reservations vanish and the quota or cap can be passed.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { createKey } from "@/lib/services/api-keys";
import { authorize } from "@/lib/services/authorize";
import { testDatabase } from "@/lib/testing/database";
import { adminActor, workspaceWith } from "@/lib/testing/fixtures";
import { ProcessHeartbeat } from "./holds";
import { reserveQuota, settleQuota } from "./monthly-quota";
import { reserveBudget, settleBudget } from "./spend-budget";

let handle: DbHandle;
beforeAll(async () => {
  handle = await testDatabase();
});
afterAll(() => handle.close());

const month = "2026-12";

async function keyAndWorkspace() {
  const db = handle.db;
  const admin = await adminActor(db);
  const ws = await workspaceWith(db, admin, `Holds ${Math.random().toString(36).slice(2, 8)}`);
  const ctx = await authorize(db, admin, { id: ws.id }, "keys:manage");
  const { key } = await createKey(db, ctx, { name: "stalled" });
  return { keyId: key.id, workspaceId: ws.id };
}

// What another live process has reserved meanwhile (its own holds are not ours to touch).
async function reservedElsewhere(keyId: string, workspaceId: string, tokens: number, cost: number) {
  await handle.db.execute(sql`update key_quota_usage set reserved_tokens = reserved_tokens + ${tokens}, reserved_cost_nanos = reserved_cost_nanos + ${cost} where api_key_id = ${keyId} and month = ${month}`);
  await handle.db.execute(sql`update workspace_budget_usage set reserved_cost_nanos = reserved_cost_nanos + ${cost} where workspace_id = ${workspaceId} and month = ${month}`);
}

async function ledger(keyId: string, workspaceId: string) {
  const [row] = rowsOf<{ tokens: number; used: number; cost: number; wsCost: number; wsUsed: number }>(
    await handle.db.execute(sql`select
      (select reserved_tokens from key_quota_usage where api_key_id = ${keyId} and month = ${month})::int as tokens,
      (select used_tokens from key_quota_usage where api_key_id = ${keyId} and month = ${month})::int as used,
      (select reserved_cost_nanos from key_quota_usage where api_key_id = ${keyId} and month = ${month})::int as cost,
      (select reserved_cost_nanos from workspace_budget_usage where workspace_id = ${workspaceId} and month = ${month})::int as "wsCost",
      (select used_cost_nanos from workspace_budget_usage where workspace_id = ${workspaceId} and month = ${month})::int as "wsUsed"`),
  );
  return row;
}

describe("settling after this process's holds were given back", () => {
  it("gives back nothing a second time, and leaves other processes' reservations reserved", async () => {
    const { keyId, workspaceId } = await keyAndWorkspace();
    const caps = { tokens: 10_000, costNanos: 10_000_000 };
    expect(await reserveQuota(handle.db, keyId, month, caps, 500, 5_000)).toMatchObject({ tokensLeft: 9_500 });
    expect(await reserveBudget(handle.db, workspaceId, month, 10_000_000, 5_000)).toBe(10_000_000 - 5_000);

    // A sweep gives this process's holds back (as another process does after 30 s of silence).
    const heartbeat = new ProcessHeartbeat(handle.db, "all");
    await heartbeat.start();
    await heartbeat.stop();
    expect(await ledger(keyId, workspaceId)).toMatchObject({ tokens: 0, cost: 0, wsCost: 0 });
    await reservedElsewhere(keyId, workspaceId, 300, 3_000);

    // The stalled request ends: its usage counts, and the other process's 300 tokens stay reserved.
    await settleQuota(handle.db, keyId, month, { tokens: 500, cost: 5_000 }, { tokens: 120, cost: 1_200 });
    await settleBudget(handle.db, workspaceId, month, 5_000, 1_200);
    expect(await ledger(keyId, workspaceId)).toEqual({ tokens: 300, used: 120, cost: 3_000, wsCost: 3_000, wsUsed: 1_200 });
  });

  it("still gives back exactly what it reserved when nothing was swept", async () => {
    const { keyId, workspaceId } = await keyAndWorkspace();
    const caps = { tokens: 10_000, costNanos: null };
    await reserveQuota(handle.db, keyId, month, caps, 400, 4_000);
    await reserveQuota(handle.db, keyId, month, caps, 600, 6_000);
    await reserveBudget(handle.db, workspaceId, month, 10_000_000, 4_000);
    await reserveBudget(handle.db, workspaceId, month, 10_000_000, 6_000);
    await Promise.all([settleQuota(handle.db, keyId, month, { tokens: 400, cost: 4_000 }, { tokens: 50, cost: 500 }), settleBudget(handle.db, workspaceId, month, 4_000, 500)]);
    expect(await ledger(keyId, workspaceId)).toEqual({ tokens: 600, used: 50, cost: 6_000, wsCost: 6_000, wsUsed: 500 });
    await Promise.all([settleQuota(handle.db, keyId, month, { tokens: 600, cost: 6_000 }, { tokens: 70, cost: 700 }), settleBudget(handle.db, workspaceId, month, 6_000, 700)]);
    expect(await ledger(keyId, workspaceId)).toEqual({ tokens: 0, used: 120, cost: 0, wsCost: 0, wsUsed: 1_200 });
  });

  it("takes its locks in the order settles take theirs: a sweep racing settles does not deadlock", async () => {
    // Settles lock the key's month, then its hold. A sweep that locked the holds first deadlocked
    // with them on Postgres (PGlite has one connection, so there it runs them one after another).
    const keys = await Promise.all(Array.from({ length: 8 }, () => keyAndWorkspace()));
    const caps = { tokens: null, costNanos: null };
    const heartbeat = new ProcessHeartbeat(handle.db, "all");
    for (let round = 0; round < 10; round++) {
      await Promise.all(keys.flatMap((k) => [reserveQuota(handle.db, k.keyId, month, caps, 10, 100), reserveBudget(handle.db, k.workspaceId, month, 1_000_000_000, 100)]));
      await heartbeat.start();
      const settles = keys.flatMap((k) => [settleQuota(handle.db, k.keyId, month, { tokens: 10, cost: 100 }, { tokens: 1, cost: 10 }), settleBudget(handle.db, k.workspaceId, month, 100, 10)]);
      await Promise.all([heartbeat.stop(), ...settles]);
    }
    for (const k of keys) expect(await ledger(k.keyId, k.workspaceId)).toMatchObject({ tokens: 0, used: 10, cost: 0, wsCost: 0, wsUsed: 100 });
  });
});
