// Workspace-wide limits over all keys, key spend quotas and the workspace's monthly spend cap:
// exact under concurrency, with one signed alert per threshold.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, auditLog, usageEvents } from "@/db/schema";
import { authorize } from "@/lib/services/authorize";
import { explainKeyLimits } from "@/lib/services/limit-explainer";
import { getWorkspaceBudget, setWorkspaceBudget, setWorkspaceLimits } from "@/lib/services/workspace-budget";
import { createWorkspace } from "@/lib/services/workspaces";
import { usingPostgres } from "@/lib/testing/database";
import { fixtureSecret, startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";
import { signWebhook } from "./budget-alerts";
import { monthOf, quotaUsed } from "./monthly-quota";
import { budgetUsage } from "./spend-budget";

let fx: GatewayFixture;
beforeAll(async () => {
  fx = await startGatewayFixture();
});
afterAll(() => fx.close());

const db = () => fx.bora.db.db;
let n = 0;
async function workspace() {
  const ws = await createWorkspace(db(), fx.admin, { name: `Budget ${++n}` });
  return { slug: ws.slug, id: ws.id, ctx: () => authorize(db(), fx.admin, { slug: ws.slug }, "workspace:update") };
}

function call(key: string, model = "small") {
  return fetch(`${fx.bora.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, max_tokens: 64, messages: [{ role: "user", content: "Spend a little." }] }),
  });
}

const statuses = async (rs: Promise<Response>[]) => (await Promise.all(rs)).map((r) => r.status);
const count = (xs: number[], s: number) => xs.filter((x) => x === s).length;

// Concurrent waves until every request is refused and, once those in flight have settled (to less
// than they reserved), a lone request is refused too: the quota is used up. Returns that refusal.
async function spendUntilRefused(keys: string[], perKey: number): Promise<Response> {
  for (let wave = 0; wave < 40; wave++) {
    const got = await statuses(keys.flatMap((k) => Array.from({ length: perKey }, () => call(k, "large"))));
    if (!got.every((s) => s === 429)) continue;
    await new Promise((r) => setTimeout(r, 100));
    const lone = await call(keys[0]!, "large");
    if (lone.status === 429) return lone;
  }
  throw new Error("the quota was never used up");
}

describe("workspace limits per model", () => {
  it("hold exactly across the workspace's keys, and only on the model they name", async () => {
    const ws = await workspace();
    await setWorkspaceLimits(db(), await ws.ctx(), { limits: [{ model: "small", rpm: 30 }] });
    const [a, b] = [await fx.newKey({ workspace: ws.slug }), await fx.newKey({ workspace: ws.slug })];
    const responses = await Promise.all([...Array.from({ length: 40 }, () => call(a)), ...Array.from({ length: 40 }, () => call(b))]);
    expect(count(responses.map((r) => r.status), 200)).toBe(30);
    const refused = responses.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: "rate_limit:requests_per_minute", message: expect.stringMatching(/the workspace allows 30 requests per minute on small/) });
    expect(await statuses([call(a, "large"), call(b, "large")])).toEqual([200, 200]);
  });

  it("'*' limits all models together", async () => {
    const ws = await workspace();
    await setWorkspaceLimits(db(), await ws.ctx(), { limits: [{ model: "*", rpm: 10 }] });
    const key = await fx.newKey({ workspace: ws.slug });
    const got = await statuses([...Array.from({ length: 8 }, () => call(key, "small")), ...Array.from({ length: 8 }, () => call(key, "large"))]);
    expect(count(got, 200)).toBe(10);
  });

  it("refuses unknown models and duplicates with the field named, changing nothing", async () => {
    const ws = await workspace();
    await expect(setWorkspaceLimits(db(), await ws.ctx(), { limits: [{ model: "nope", rpm: 1 }] })).rejects.toMatchObject({ code: "not_found:model", param: "limits" });
    await expect(setWorkspaceLimits(db(), await ws.ctx(), { limits: [{ model: "small", rpm: 1 }, { model: "small", tpm: 5 }] })).rejects.toMatchObject({ param: "limits" });
    expect((await getWorkspaceBudget(db(), await ws.ctx(), fixtureSecret, false)).limits).toEqual([]);
  });
});

describe("a key's monthly spend quota", () => {
  it("is never overshot by more than one request under concurrency, and equals the metered cost", async () => {
    // large: $2 in, $6 out per million tokens; a request reserves about 20 + 64 tokens ≈ $0.0004.
    const quotaUsd = 0.004;
    const key = await fx.newKey({ monthlySpendQuotaUsd: quotaUsd });
    const refused = await spendUntilRefused([key], 8);
    expect(await refused.json()).toMatchObject({ code: "rate_limit:monthly_spend" });
    await new Promise((r) => setTimeout(r, 200));
    await fx.bora.gateway.meter.flush();
    const id = (await db().select().from(apiKeys).where(eq(apiKeys.prefix, key.split("_")[1]!)))[0]!.id;
    const [sum] = await db().select({ cost: sql<string>`coalesce(sum(${usageEvents.costNanos}), 0)` }).from(usageEvents).where(eq(usageEvents.apiKeyId, id));
    const used = (await quotaUsed(db(), id, monthOf())).costNanos;
    expect(used).toBe(Number(sum!.cost));
    const oneRequest = (40 * 2 + 64 * 6) * 1000; // nanos for 40 prompt + 64 completion tokens on large
    expect(used).toBeLessThanOrEqual(quotaUsd * 1e9 + oneRequest);
    expect(used).toBeGreaterThan(quotaUsd * 1e9 - 2 * oneRequest);
  });
});

describe("the workspace's monthly spend cap", () => {
  it("refuses past the cap and sends one signed alert per threshold and one when exhausted", async () => {
    const received: { body: string; signature: string }[] = [];
    const hook = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["x-bora-signature"]) });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    const ws = await workspace();
    await setWorkspaceBudget(db(), await ws.ctx(), { monthlySpendCapUsd: 0.004, thresholds: [50], webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts` }, fixtureSecret);
    const keys = [await fx.newKey({ workspace: ws.slug }), await fx.newKey({ workspace: ws.slug })];
    const refused = await spendUntilRefused(keys, 3);
    expect(await refused.json()).toMatchObject({ code: "rate_limit:workspace_budget" });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(2);
    await new Promise((r) => setTimeout(r, 300)); // no third alert arrives
    hook.close();

    const { webhookSecret, spentUsd } = await getWorkspaceBudget(db(), await ws.ctx(), fixtureSecret, true);
    expect(webhookSecret).toMatch(/^whsec_/);
    const events = received.map((r) => {
      const t = Number(/t=(\d+)/.exec(r.signature)![1]);
      expect(r.signature).toBe(signWebhook(r.body, webhookSecret!, t));
      return JSON.parse(r.body) as { type: string; threshold_percent: number; workspace_id: string };
    });
    expect(events.map((e) => [e.type, e.threshold_percent]).sort()).toEqual([["budget.exhausted", 100], ["budget.threshold", 50]]);
    expect(events.every((e) => e.workspace_id === ws.id)).toBe(true);
    expect(spentUsd).toBeLessThanOrEqual(0.004 + 0.0005);
    const usage = await budgetUsage(db(), ws.id, monthOf());
    expect(usage.reservedNanos).toBe(0);
    const audit = await db().select().from(auditLog).where(eq(auditLog.workspaceId, ws.id));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["workspace.budget.update", "budget.threshold", "budget.exhausted"]));
    expect(JSON.stringify(audit)).not.toContain(webhookSecret!);
  });
});

describe("the limit explainer", () => {
  it("names the level that would refuse the next request, from the live counters", async () => {
    const ws = await workspace();
    await setWorkspaceLimits(db(), await ws.ctx(), { limits: [{ model: "small", rpm: 100, tpm: 1_000_000 }] });
    const key = await fx.newKey({ workspace: ws.slug, rpm: 3, modelLimits: [{ model: "large", rpm: 1 }] });
    const prefix = key.split("_")[1]!;
    const ctx = await authorize(db(), fx.admin, { slug: ws.slug }, "keys:read");
    const before = await explainKeyLimits(db(), ctx, { key: prefix, model: "small" });
    expect(before.levels.filter((l) => l.blocks)).toEqual([]);
    expect(await statuses([call(key), call(key), call(key)])).toEqual([200, 200, 200]);
    const after = await explainKeyLimits(db(), ctx, { key: prefix, model: "small", tokens: 500 });
    const rows = after.levels.map((l) => [l.scope, l.what, l.used, l.remaining, l.blocks]);
    expect(rows).toEqual([
      ["key", "Requests per minute", 3, 0, true],
      ["workspace on model", "Requests per minute", 3, 97, false],
      ["workspace on model", "Tokens per minute", expect.any(Number), expect.any(Number), false],
    ]);
    expect(after.levels[0]!.resetsAt!.getTime()).toBeGreaterThan(Date.now());
    expect(after.levels[0]!.resetsAt!.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    // On large the key's own per-model limit counts too.
    const large = await explainKeyLimits(db(), ctx, { key: prefix, model: "large" });
    expect(large.levels.map((l) => l.scope)).toEqual(["key", "key on model"]);
    // Another workspace's member cannot read this key.
    const other = await workspace();
    await expect(explainKeyLimits(db(), await authorize(db(), fx.admin, { slug: other.slug }, "keys:read"), { key: prefix, model: "small" })).rejects.toMatchObject({ code: "not_found:api_key" });
  });
});

describe("reservations left by a process that died", () => {
  it("are released at start on PGlite (one process), and kept on Postgres (other replicas may hold them)", async () => {
    const ws = await workspace();
    const key = await fx.newKey({ workspace: ws.slug, monthlyTokenQuota: 10_000 });
    const id = (await db().select().from(apiKeys).where(eq(apiKeys.prefix, key.split("_")[1]!)))[0]!.id;
    const month = monthOf();
    // As a request in flight would have left them when the process was killed.
    await db().execute(sql`insert into key_quota_usage (api_key_id, month, reserved_tokens, reserved_cost_nanos) values (${id}, ${month}, 9000, 5)`);
    await db().execute(sql`insert into workspace_budget_usage (workspace_id, month, reserved_cost_nanos) values (${ws.id}, ${month}, 7)`);
    await fx.restart();
    const result = (await db().execute(sql`select reserved_tokens from key_quota_usage where api_key_id = ${id} and month = ${month}`)) as unknown;
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { reserved_tokens: string | number }[];
    const reserved = Number(rows[0]!.reserved_tokens);
    const budget = await budgetUsage(db(), ws.id, month);
    if (usingPostgres()) {
      expect([reserved, budget.reservedNanos]).toEqual([9000, 7]);
    } else {
      expect([reserved, budget.reservedNanos]).toEqual([0, 0]);
      expect((await call(key)).status).toBe(200); // the whole quota is free again
    }
  });
});
