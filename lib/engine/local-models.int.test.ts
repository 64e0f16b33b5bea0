// Local models as the gateway sees them: GGUF files discovered in the models dir, their load
// state and memory, idle unloading, the memory check, images refused up front, and tool calls.
import fs from "node:fs";
import Ajv from "ajv";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { localEngine, modelsDir } from "@/lib/engine";
import { scanLocalModels } from "@/lib/engine/discovery";
import { LocalEngine } from "@/lib/engine/local-engine";
import { addModel } from "@/lib/services/models";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture & { env: Record<string, string> };
let dir: string;

beforeAll(async () => {
  fx = await startGatewayFixture();
  dir = modelsDir(getConfig(fx.env));
});
afterAll(() => fx.close());

type Card = { id: string; max_context_length: number; available: boolean; capabilities: Record<string, boolean> };
async function cards(): Promise<Card[]> {
  const res = await fetch(`${fx.bora.url}/v1/models`, { headers: { authorization: `Bearer ${fx.key}` } });
  return ((await res.json()) as { data: Card[] }).data;
}
function chat(body: Record<string, unknown>) {
  return fetch(`${fx.bora.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: "Hi" }], max_tokens: 4, ...body }) });
}

describe("discovery of GGUF files", () => {
  it("registers a new file under its name with its context length, and marks it unavailable when it goes", async () => {
    fs.copyFileSync(path.join(dir, "bora-demo.gguf"), path.join(dir, "tiny copy.gguf"));
    fs.copyFileSync(path.join(dir, "bora-demo.gguf"), path.join(dir, "tiny-copy.gguf"));
    const first = await scanLocalModels(fx.bora.db.db, fx.admin, dir);
    // Only names the engine serves: "tiny copy.gguf" has a space.
    expect(first.added).toEqual([{ alias: "tiny-copy", file: "tiny-copy.gguf" }]);
    expect((await scanLocalModels(fx.bora.db.db, fx.admin, dir)).added).toEqual([]); // already registered
    const card = (await cards()).find((c) => c.id === "tiny-copy");
    expect(card).toMatchObject({ max_context_length: 4096, available: true, capabilities: { completion_chat: true, completion_fim: false, vision: false, function_calling: true } });
    expect((await chat({ model: "tiny-copy" })).status).toBe(200);

    fs.rmSync(path.join(dir, "tiny-copy.gguf"));
    const second = await scanLocalModels(fx.bora.db.db, fx.admin, dir);
    expect(second.unavailable).toEqual([{ alias: "tiny-copy", file: "tiny-copy.gguf" }]);
    expect((await cards()).find((c) => c.id === "tiny-copy")).toMatchObject({ available: false });
    await localEngine().unload("tiny-copy.gguf");
    const gone = await chat({ model: "tiny-copy" });
    expect(gone.status).toBe(503);
    expect(((await gone.json()) as { message: string }).message).toMatch(/tiny-copy.gguf is no longer in the models dir/);
  });
});

describe("load state", () => {
  it("loads, reports memory, unloads, and unloads by itself when idle", async () => {
    const engine = new LocalEngine(dir, { idleUnloadSeconds: 0.3 });
    try {
      expect(engine.state("bora-demo.gguf")).toEqual({ state: "unloaded" });
      const loading = engine.preload("bora-demo.gguf");
      expect(engine.state("bora-demo.gguf").state).toBe("loading");
      const loaded = await loading;
      expect(loaded.state).toBe("loaded");
      expect(loaded.memoryBytes).toBeGreaterThan(fs.statSync(path.join(dir, "bora-demo.gguf")).size);
      // Not under a running request: one queued behind it would wait forever.
      const running = engine.call("chat", { model: "bora-demo.gguf", messages: [{ role: "user", content: "Hi" }], max_tokens: 5 }, new AbortController().signal);
      await expect(engine.unload("bora-demo.gguf")).rejects.toThrow(/1 request is running on bora-demo.gguf/);
      expect((await running).statusCode).toBe(200);
      await engine.unload("bora-demo.gguf");
      expect(engine.state("bora-demo.gguf")).toEqual({ state: "unloaded" });
      await engine.preload("bora-demo.gguf");
      await new Promise((r) => setTimeout(r, 700));
      expect(engine.state("bora-demo.gguf")).toEqual({ state: "unloaded" });
    } finally {
      await engine.close();
    }
  });

  it("refuses a model that does not fit, naming what it needs and what is available", async () => {
    const engine = new LocalEngine(dir, { memoryBytes: 1024 * 1024 });
    try {
      const attempt = engine.preload("bora-demo.gguf");
      await expect(attempt).rejects.toMatchObject({ code: "unavailable:local_memory" });
      await expect(attempt).rejects.toThrow(/bora-demo.gguf does not fit in memory: it needs about \d+ MiB .* and 1 MiB is available/);
      expect(engine.state("bora-demo.gguf")).toEqual({ state: "unloaded" });
    } finally {
      await engine.close();
    }
  });
});

describe("what the local engine refuses up front", () => {
  const image = [{ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: "data:image/png;base64,iVBORw0KGgo=" }] }];

  it("answers 400 on messages for images, whether or not the alias claims vision", async () => {
    const plain = await chat({ model: "bora-demo", messages: image });
    expect(plain.status).toBe(400);
    expect(await plain.json()).toMatchObject({ param: "messages", message: expect.stringMatching(/does not accept images/) });

    await addModel(fx.bora.db.db, fx.admin, { alias: "demo-claims-vision", provider: "local", upstreamModel: "bora-demo.gguf", capabilities: ["chat", "vision", "function_calling"] });
    const claimed = await chat({ model: "demo-claims-vision", messages: image });
    expect(claimed.status).toBe(400);
    expect(await claimed.json()).toMatchObject({ param: "messages", message: expect.stringMatching(/cannot read images: its GGUF file \(bora-demo.gguf\) comes with no vision projector/) });
  });

  it("calls a tool when the request requires one: arguments follow the function's schema, whole and streamed", async () => {
    const weather = { type: "object", properties: { city: { type: "string", minLength: 1, maxLength: 20 }, days: { type: "integer", minimum: 1, maximum: 7 } }, required: ["city", "days"], additionalProperties: false };
    const tools = [
      { type: "function", function: { name: "get_weather", description: "The forecast for a city", parameters: weather } },
      { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } },
    ];
    const auto = await chat({ model: "bora-demo", tools, max_tokens: 200 });
    expect(auto.status).toBe(400);
    expect(await auto.json()).toMatchObject({ param: "tool_choice" });

    const validate = new Ajv().compile(weather);
    for (const seed of [1, 2, 3]) {
      const res = await chat({ model: "bora-demo", tools, tool_choice: { type: "function", function: { name: "get_weather" } }, max_tokens: 200, random_seed: seed });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { choices: { finish_reason: string; message: { tool_calls: { id: string; function: { name: string; arguments: string } }[] } }[] };
      const call = body.choices[0]!.message.tool_calls[0]!;
      expect(body.choices[0]!.finish_reason).toBe("tool_calls");
      expect(call.id).toMatch(/^[A-Za-z0-9]{9}$/);
      expect(call.function.name).toBe("get_weather");
      expect(validate(JSON.parse(call.function.arguments))).toBe(true);
    }
    const any = await chat({ model: "bora-demo", tools, tool_choice: "any", max_tokens: 200, stream: true });
    const text = await any.text();
    const chunks = text.split("\n\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)) as { choices: { delta: { tool_calls?: { function: { name: string } }[] }; finish_reason: string | null }[] });
    const calls = chunks.flatMap((c) => c.choices[0]!.delta.tool_calls ?? []);
    expect(calls).toHaveLength(1);
    expect(["get_weather", "get_time"]).toContain(calls[0]!.function.name);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("tool_calls");

    // The result goes back as a tool message and the conversation continues in text.
    const next = await chat({ model: "bora-demo", tools, tool_choice: "none", max_tokens: 8, messages: [{ role: "user", content: "Weather in Paris?" }, { role: "assistant", content: "", tool_calls: [{ id: "abcdefghi", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","days":1}' } }] }, { role: "tool", name: "get_weather", tool_call_id: "abcdefghi", content: "Sunny" }] });
    expect(next.status).toBe(200);
    expect(((await next.json()) as { choices: { finish_reason: string }[] }).choices[0]!.finish_reason).not.toBe("tool_calls");
  });
});
