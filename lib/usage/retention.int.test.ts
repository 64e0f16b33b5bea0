// Pruning raw usage events past a workspace's retention keeps the hour and day rollups intact
// (the dashboard's figures for old ranges do not change), and drops minute rollups after 3 days.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvents, usageLatencyMinute, usageLatencyWorkspaceMinute, usageRollups, usageRollupsDaily, usageRollupsMinute, workspaces, type LatencyTable, type RollupTable, type WorkspaceLatencyTable } from "@/db/schema";
import type { DbHandle } from "@/lib/db/client";
import { Meter } from "@/lib/gateway/metering";
import { testDatabase } from "@/lib/testing/database";
import { pruneUsage } from "./retention";

let handle: DbHandle;
beforeAll(async () => {
  handle = await testDatabase();
});
afterAll(() => handle.close());

const count = async (table: RollupTable | LatencyTable | WorkspaceLatencyTable | typeof usageEvents, workspaceId: string) =>
  Number((await handle.db.select({ n: sql<string>`count(*)` }).from(table).where(eq(table.workspaceId, workspaceId)))[0]!.n);
const requests = async (table: RollupTable, workspaceId: string) =>
  Number((await handle.db.select({ n: sql<string>`coalesce(sum(requests), 0)` }).from(table).where(eq(table.workspaceId, workspaceId)))[0]!.n);

describe("pruneUsage", () => {
  it("deletes raw events past the retention in batches and keeps the rollups", async () => {
    const [short] = await handle.db.insert(workspaces).values({ slug: "prune-short", name: "Short", usageRawRetentionDays: 30 }).returning();
    const [long] = await handle.db.insert(workspaces).values({ slug: "prune-long", name: "Long" }).returning();
    const now = new Date(Date.UTC(2026, 10, 27, 12));
    const meter = new Meter(handle.db);
    // 100 events a day for 60 days back, in each workspace.
    for (const ws of [short!, long!]) {
      for (let d = 0; d < 60; d++) {
        for (let i = 0; i < 100; i++) {
          meter.record({ workspaceId: ws.id, createdAt: new Date(now.getTime() - d * 86_400_000 - i * 1000 - 1), model: "m", endpoint: "chat", latencyMs: i, status: "ok", httpStatus: 200, requestId: `${ws.slug}-${d}-${i}` });
        }
      }
    }
    await meter.close();
    const minuteTables = [usageRollupsMinute, usageLatencyMinute, usageLatencyWorkspaceMinute];
    const minuteRows = async () => {
      let n = 0;
      for (const table of minuteTables) n += (await count(table, short!.id)) + (await count(table, long!.id));
      return n;
    };
    const before = { hour: await requests(usageRollups, short!.id), day: await requests(usageRollupsDaily, short!.id), minutes: await minuteRows() };
    expect(before.hour).toBe(6000);

    const pruned = await pruneUsage(handle.db, { now, batchSize: 700 });
    // Days 30..59 are past 30 days (each event is a little older than its day's mark).
    expect(pruned.events).toBe(3000);
    expect(await count(usageEvents, short!.id)).toBe(3000);
    expect(await count(usageEvents, long!.id)).toBe(6000);
    expect(await requests(usageRollups, short!.id)).toBe(before.hour);
    expect(await requests(usageRollupsDaily, short!.id)).toBe(before.day);
    // Minute rows of the last 3 days only (3 × 100 seconds: 6 minutes of each table a workspace).
    expect(await requests(usageRollupsMinute, short!.id)).toBe(300);
    for (const table of minuteTables) expect(await count(table, short!.id)).toBe(6);
    expect(await requests(usageRollupsMinute, long!.id)).toBe(300);
    expect(pruned.minuteRollups).toBe(before.minutes - (await minuteRows()));
    expect(pruned.minuteRollups).toBeGreaterThan(0);
    // A second run finds nothing left.
    expect(await pruneUsage(handle.db, { now })).toEqual({ events: 0, minuteRollups: 0 });
  });
});
