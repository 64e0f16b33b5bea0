// The key cache drops a changed key at once, also where batch lines look it up by id, not
// after the 2 s TTL (the same notice arrives from other replicas through Redis).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "@/db/schema";
import { revokeKey } from "@/lib/services/api-keys";
import { authorize } from "@/lib/services/authorize";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture;
beforeAll(async () => {
  fx = await startGatewayFixture();
});
afterAll(() => fx?.close());

describe("key cache", () => {
  it("refuses a key revoked a moment ago by id, as a batch line would look it up", async () => {
    const secret = await fx.newKey();
    const prefix = secret.split("_")[1]!;
    const [row] = await fx.bora.db.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.prefix, prefix));
    const keys = fx.bora.gateway.keys;
    await expect(keys.resolveById(row!.id)).resolves.toMatchObject({ id: row!.id, prefix });
    const ctx = await authorize(fx.bora.db.db, fx.admin, { slug: "default" }, "keys:manage");
    await revokeKey(fx.bora.db.db, ctx, prefix);
    await expect(keys.resolveById(row!.id)).rejects.toMatchObject({ code: "unauthorized:api_key" });
  });
});
