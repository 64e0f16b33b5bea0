// Bodies are stored only for workspaces that turned request logging on, and purged after
// their retention.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestLogs } from "@/db/schema";
import { authorize } from "@/lib/services/authorize";
import { findRequestLog } from "@/lib/services/request-logs";
import { createWorkspace, updateWorkspace } from "@/lib/services/workspaces";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";
import { keyCacheTtlMs } from "./keys";

let fx: GatewayFixture;
beforeAll(async () => {
  fx = await startGatewayFixture();
});
afterAll(() => fx.close());

const send = (key: string, requestId: string, body: Record<string, unknown> = {}) =>
  fetch(`${fx.bora.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "my secret prompt" }], ...body }),
  }).then((r) => r.text());

describe("request logging", () => {
  it("stores nothing by default", async () => {
    await send(fx.key, "off-1");
    await fx.bora.gateway.meter.flush();
    expect(await fx.bora.db.db.select().from(requestLogs)).toEqual([]);
  });

  it("stores request and answer, streamed too, once turned on, and purges them after retention", async () => {
    const db = fx.bora.db.db;
    const ws = await createWorkspace(db, fx.admin, { name: "Logged", slug: "logged" });
    const ctx = await authorize(db, fx.admin, { id: ws.id }, "workspace:update");
    await updateWorkspace(db, ctx, { requestLogDays: 7 });
    const key = await fx.newKey({ workspace: "logged" });
    await new Promise((r) => setTimeout(r, keyCacheTtlMs));
    await send(key, "on-whole");
    await send(key, "on-stream", { stream: true });
    await fx.bora.gateway.meter.flush();
    const whole = await findRequestLog(db, ctx, "on-whole");
    expect(whole?.requestBody).toMatchObject({ model: "small", messages: [{ role: "user", content: "my secret prompt" }] });
    expect(whole?.responseBody).toMatchObject({ model: "small", choices: [{ message: { content: "Hello from the simulator. You said: my secret prompt" } }] });
    const streamed = await findRequestLog(db, ctx, "on-stream");
    expect(streamed?.responseBody).toMatchObject({ streamed: true, content: "Hello from the simulator. You said: my secret prompt" });
    const days = (whole!.expiresAt.getTime() - whole!.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 1);
    // Another workspace cannot read them.
    const other = await authorize(db, fx.admin, { slug: "default" }, "usage:read");
    expect(await findRequestLog(db, other, "on-whole")).toBeUndefined();
    // Eight days later they are purged.
    const purged = await fx.bora.gateway.meter.purgeExpiredLogs(new Date(Date.now() + 8 * 86_400_000));
    expect(purged).toBe(2);
    expect(await db.select().from(requestLogs).where(eq(requestLogs.workspaceId, ws.id))).toEqual([]);
  });
});
