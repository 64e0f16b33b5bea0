// The meter's batched insert round-trips every column, whatever the characters, on both drivers.
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvents } from "@/db/schema";
import type { DbHandle } from "@/lib/db/client";
import { testDatabase } from "@/lib/testing/database";
import { Meter } from "./metering";

let handle: DbHandle;
beforeAll(async () => {
  handle = await testDatabase();
});
afterAll(() => handle.close());

describe("Meter", () => {
  it("writes batches exactly, with nulls, quotes, backslashes, commas and braces", async () => {
    const meter = new Meter(handle.db);
    const workspaceId = "7f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c11";
    const tricky = ['a"b', "c\\d", "e,f", "{g}", "NULL", "", "ünï"];
    for (let i = 0; i < 1200; i++) {
      meter.record({ workspaceId, model: tricky[i % tricky.length]!, endpoint: "chat", promptTokens: i, completionTokens: 2 * i, costNanos: 9_000_000_000_000 + i, status: "ok", httpStatus: 200, requestId: `r${i}`, ttftMs: i % 2 ? null : i, apiKeyId: null });
    }
    await meter.close();
    const rows = await handle.db.select().from(usageEvents).orderBy(asc(usageEvents.id));
    expect(rows).toHaveLength(1200);
    rows.forEach((r, i) => {
      expect(r).toMatchObject({ model: tricky[i % tricky.length], promptTokens: i, completionTokens: 2 * i, costNanos: 9_000_000_000_000 + i, requestId: `r${i}`, ttftMs: i % 2 ? null : i, apiKeyId: null, origin: "api" });
    });
  });
});
