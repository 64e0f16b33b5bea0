// A rotated key's old secret works during its grace period and gets 401 after; old and new
// share one budget meanwhile.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "@/db/schema";
import { authorize } from "@/lib/services/authorize";
import { rotateKey, updateKey } from "@/lib/services/api-keys";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture;
beforeAll(async () => {
  fx = await startGatewayFixture();
});
afterAll(() => fx.close());

const call = (key: string) =>
  fetch(`${fx.bora.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "hi" }] }),
  });

describe("key rotation", () => {
  it("keeps the old secret working during the grace period, sharing the limits, then refuses it", async () => {
    const db = fx.bora.db.db;
    const old = await fx.newKey({ rpm: 5, models: ["small"] });
    const ctx = await authorize(db, fx.admin, { slug: "default" }, "keys:manage");
    const rotated = await rotateKey(db, ctx, { key: old.split("_")[1]!, graceMinutes: 30 });
    expect(rotated.key.allowedModels).toEqual(["small"]);
    expect(rotated.key.rpm).toBe(5);
    expect(rotated.oldKeyExpiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    // 3 through each secret: one budget of 5 for both.
    const statuses = await Promise.all([old, old, old, rotated.secret, rotated.secret, rotated.secret].map(async (k) => (await call(k)).status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    // The grace period ends.
    await db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.prefix, old.split("_")[1]!));
    await new Promise((r) => setTimeout(r, 2100)); // the key cache's TTL
    const refused = await call(old);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toMatch(/rotated/);
    await expect(rotateKey(db, ctx, { key: old.split("_")[1]! })).rejects.toMatchObject({ status: 404 });
  });

  it("applies edited limits at once, and clearing them lifts them", async () => {
    const db = fx.bora.db.db;
    const key = await fx.newKey();
    const ctx = await authorize(db, fx.admin, { slug: "default" }, "keys:manage");
    expect((await call(key)).status).toBe(200);
    await updateKey(db, ctx, { key: key.split("_")[1]!, rpm: 1, models: ["large"] });
    const refused = await call(key);
    expect(refused.status).toBe(403); // "small" is no longer allowed
    await updateKey(db, ctx, { key: key.split("_")[1]!, models: null });
    expect((await call(key)).status).toBe(200);
    expect((await call(key)).status).toBe(429); // 1 RPM
    await updateKey(db, ctx, { key: key.split("_")[1]!, rpm: null });
    expect((await call(key)).status).toBe(200);
    await expect(updateKey(db, ctx, { key: key.split("_")[1]!, tpm: -5 })).rejects.toThrow(/at least 1/);
  });
});
