// The meter's batched insert round-trips every column, whatever the characters, on both drivers.
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { usageEvents, usageRollups } from "@/db/schema";
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
    // Error types cycle with a different period from models, so events share some values and
    // not others; a null and an empty string must stay apart.
    const errorTypes = [null, "", "NULL", 'x"y'];
    const keyId = "7f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c12";
    // Times out of order and to the millisecond: they travel as offsets from the batch's earliest.
    const at = (i: number) => new Date(Date.UTC(2026, 10, 27, 12) + ((i * 7919) % 100_000) * 1000 + (i % 997));
    for (let i = 0; i < 2500; i++) {
      meter.record({ createdAt: at(i), workspaceId, model: tricky[i % tricky.length]!, endpoint: "chat", promptTokens: i, completionTokens: 2 * i, costNanos: 9_000_000_000_000 + i, status: "ok", httpStatus: 200, errorType: errorTypes[i % errorTypes.length], requestId: `r${i}`, ttftMs: i % 2 ? null : i, apiKeyId: i % 3 ? keyId : null });
    }
    await meter.close();
    const rows = await handle.db.select().from(usageEvents).orderBy(asc(usageEvents.id));
    expect(rows).toHaveLength(2500);
    rows.forEach((r, i) => {
      expect(r.createdAt.getTime()).toBe(at(i).getTime());
      expect(r).toMatchObject({ model: tricky[i % tricky.length], errorType: errorTypes[i % errorTypes.length], promptTokens: i, completionTokens: 2 * i, costNanos: 9_000_000_000_000 + i, requestId: `r${i}`, ttftMs: i % 2 ? null : i, apiKeyId: i % 3 ? keyId : null, origin: "api" });
    });
  });

  it("keeps hourly rollups equal to the raw events, with several meters writing at once", async () => {
    const meters = [new Meter(handle.db), new Meter(handle.db), new Meter(handle.db)];
    const workspaceId = "1f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c22";
    const hours = [0, 1, 2].map((h) => new Date(Date.UTC(2026, 10, 27, 8 + h, 30)));
    for (let i = 0; i < 1500; i++) {
      meters[i % 3]!.record({
        workspaceId,
        createdAt: hours[i % 3],
        model: ["a", "b"][i % 2]!,
        apiKeyId: i % 5 === 0 ? null : "2f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c33",
        endpoint: "chat",
        promptTokens: i % 7,
        completionTokens: i % 11,
        costNanos: i,
        latencyMs: i % 13,
        ttftMs: i % 2 ? i % 5 : null,
        status: i % 10 === 0 ? "error" : "ok",
        httpStatus: 200,
        requestId: `c${i}`,
      });
      if (i % 250 === 0) await Promise.all(meters.map((m) => m.flush()));
    }
    await Promise.all(meters.map((m) => m.close()));
    const raw = await handle.db
      .select({ model: usageEvents.model, requests: sql<number>`count(*)::int`, tokens: sql<number>`sum(prompt_tokens + completion_tokens)::int`, cost: sql<number>`sum(cost_nanos)::bigint` })
      .from(usageEvents)
      .where(sql`${usageEvents.workspaceId} = ${workspaceId}`)
      .groupBy(usageEvents.model)
      .orderBy(usageEvents.model);
    const rolled = await handle.db
      .select({ model: usageRollups.model, requests: sql<number>`sum(requests)::int`, tokens: sql<number>`sum(prompt_tokens + completion_tokens)::int`, cost: sql<number>`sum(cost_nanos)::bigint` })
      .from(usageRollups)
      .where(sql`${usageRollups.workspaceId} = ${workspaceId}`)
      .groupBy(usageRollups.model)
      .orderBy(usageRollups.model);
    expect(rolled.map((r) => ({ ...r, cost: Number(r.cost) }))).toEqual(raw.map((r) => ({ ...r, cost: Number(r.cost) })));
    expect(raw.reduce((n, r) => n + r.requests, 0)).toBe(1500);
    const buckets = await handle.db.selectDistinct({ bucket: usageRollups.bucket }).from(usageRollups).where(sql`${usageRollups.workspaceId} = ${workspaceId}`);
    expect(buckets.map((b) => b.bucket.toISOString()).sort()).toEqual(["2026-11-27T08:00:00.000Z", "2026-11-27T09:00:00.000Z", "2026-11-27T10:00:00.000Z"]);
  });

  it("keeps every event of a failed write, however many, and writes them once the database is back", async () => {
    const meter = new Meter(handle.db);
    const workspaceId = "3f0c0a3e-2b1d-4b7a-9a37-0d2f5a3f1c44";
    // More events than a function call takes as spread arguments (about 120,000 here).
    const count = 150_000;
    await handle.db.execute(sql`alter table usage_events rename to usage_events_away`);
    try {
      for (let i = 0; i < count; i++) meter.record({ workspaceId, model: "m", endpoint: "chat", status: "ok", httpStatus: 200, requestId: `k${i}` });
      await meter.flush();
      expect(meter.pending).toBe(count);
    } finally {
      await handle.db.execute(sql`alter table usage_events_away rename to usage_events`);
    }
    await meter.close();
    expect(meter.pending).toBe(0);
    const [written] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(usageEvents).where(sql`${usageEvents.workspaceId} = ${workspaceId}`);
    expect(written!.n).toBe(count);
  });
});
