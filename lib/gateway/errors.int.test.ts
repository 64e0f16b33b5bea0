// Bad input of every kind gets the right status and a clear error body, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize } from "@/lib/services/authorize";
import { revokeKey } from "@/lib/services/api-keys";
import { createWorkspace } from "@/lib/services/workspaces";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture;
let revoked: string;
let expired: string;
let smallOnly: string;

beforeAll(async () => {
  fx = await startGatewayFixture();
  revoked = await fx.newKey();
  const ctx = await authorize(fx.bora.db.db, fx.admin, { slug: "default" }, "keys:manage");
  await revokeKey(fx.bora.db.db, ctx, revoked.split("_")[1]!);
  expired = await fx.newKey({ expires: "1h" });
  await fx.bora.db.db.execute(`update api_keys set expires_at = now() - interval '1 minute' where prefix = '${expired.split("_")[1]}'`);
  smallOnly = await fx.newKey({ models: ["small"] });
});
afterAll(() => fx.close());

const chat = (over: Record<string, unknown> = {}) => JSON.stringify({ model: "small", messages: [{ role: "user", content: "hi" }], ...over });

type Case = { name: string; key?: string | null; path?: string; method?: string; body?: string; status: number; message: RegExp; param?: string };

describe("bad input", () => {
  const cases: Case[] = [
    { name: "no key", key: null, body: chat(), status: 401, message: /No API key/ },
    { name: "malformed key", key: "sk-not-ours", body: chat(), status: 401, message: /Invalid API key/ },
    { name: "unknown key", key: "bora_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", body: chat(), status: 401, message: /Invalid API key/ },
    { name: "revoked key", key: "revoked", body: chat(), status: 401, message: /revoked/ },
    { name: "expired key", key: "expired", body: chat(), status: 401, message: /expired/ },
    { name: "unknown model", body: chat({ model: "gpt-99" }), status: 404, message: /does not exist/, param: "model" },
    { name: "model not allowed for the key", key: "smallOnly", body: chat({ model: "large" }), status: 403, message: /may not use/, param: "model" },
    { name: "malformed JSON", body: "{\"model\": ", status: 400, message: /not valid JSON/ },
    { name: "wrong field type", body: chat({ temperature: "hot" }), status: 422, message: /temperature/, param: "temperature" },
    { name: "missing model", body: JSON.stringify({ messages: [{ role: "user", content: "x" }] }), status: 422, message: /model is required/, param: "model" },
    { name: "empty messages", body: chat({ messages: [] }), status: 422, message: /messages must not be empty/, param: "messages" },
    { name: "unknown role", body: chat({ messages: [{ role: "wizard", content: "x" }] }), status: 422, message: /role/ },
    { name: "tool message without tool_call_id", body: chat({ messages: [{ role: "user", content: "x" }, { role: "tool", content: "42" }] }), status: 422, message: /tool_call_id/, param: "messages.1.tool_call_id" },
    { name: "invalid json_schema", body: chat({ response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "nonsense" } } } }), status: 422, message: /Not a valid JSON Schema/ },
    { name: "bad tool name", body: chat({ tools: [{ type: "function", function: { name: "has spaces" } }] }), status: 422, message: /Tool names/ },
    { name: "images to a model without vision", body: chat({ messages: [{ role: "user", content: [{ type: "image_url", image_url: "https://example.com/a.png" }] }] }), status: 400, message: /does not accept images/, param: "messages" },
    { name: "FIM on a chat-only model", path: "/v1/fim/completions", body: JSON.stringify({ model: "small", prompt: "x" }), status: 400, message: /fill-in-the-middle/ },
    { name: "empty embeddings input", path: "/v1/embeddings", body: JSON.stringify({ model: "embed", input: [] }), status: 422, message: /input must not be empty/ },
    { name: "oversized body", body: chat({ messages: [{ role: "user", content: "x".repeat(21 * 1024 * 1024) }] }), status: 413, message: /larger than/ },
    { name: "wrong method", method: "GET", status: 400, message: /GET is not allowed/ },
    { name: "unknown endpoint", path: "/v1/nope", body: "{}", status: 404, message: /No endpoint/ },
    { name: "unknown model id", method: "GET", path: "/v1/models/nope", status: 404, message: /does not exist/ },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status}`, async () => {
      const key = c.key === null ? undefined : c.key === "revoked" ? revoked : c.key === "expired" ? expired : c.key === "smallOnly" ? smallOnly : (c.key ?? fx.key);
      const res = await fetch(`${fx.bora.url}${c.path ?? "/v1/chat/completions"}`, {
        method: c.method ?? "POST",
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: c.method === "GET" ? undefined : c.body,
      }).catch((e: Error) => e);
      if (res instanceof Error) throw res;
      const body = (await res.json()) as { object: string; message: string; param: string | null; request_id: string };
      expect({ status: res.status, message: body.message }).toEqual({ status: c.status, message: expect.stringMatching(c.message) });
      expect(body.object).toBe("error");
      expect(body.request_id).toBe(res.headers.get("x-request-id"));
      if (c.param) expect(body.param).toBe(c.param);
    });
  }

  it("left no usage for refused requests and nothing for the upstream", async () => {
    await fx.bora.gateway.meter.flush();
    const rows = await fx.bora.db.db.execute("select count(*)::int as n from usage_events");
    const n = Array.isArray(rows) ? (rows[0] as { n: number }).n : (rows as unknown as { rows: { n: number }[] }).rows[0]!.n;
    expect(n).toBe(0);
    expect(fx.sim.requests).toHaveLength(0);
  });
});

describe("workspace residency", () => {
  it("never routes an eu-only workspace to a non-eu deployment", async () => {
    const ws = await createWorkspace(fx.bora.db.db, fx.admin, { name: "EU team", slug: "eu-team" });
    const ctx = await authorize(fx.bora.db.db, fx.admin, { id: ws.id }, "workspace:update");
    const { updateWorkspace } = await import("@/lib/services/workspaces");
    await updateWorkspace(fx.bora.db.db, ctx, { residencyPolicy: "eu-only" });
    const key = await fx.newKey({ workspace: "eu-team" });
    const call = (model: string) => fetch(`${fx.bora.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: chat({ model }) });
    expect((await call("small")).status).toBe(200); // sim is eu
    const refused = await call("oai"); // sim-openai is us
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/only uses EU deployments/);
  });
});
