// The local engine through the real gateway: guided decoding with the official SDK, and
// serving under load (eight streams at once, the ninth refused with Retry-After).
import { Mistral } from "@mistralai/mistralai";
import { Ajv } from "ajv";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { modelsDir } from "@/lib/engine";
import { buildDemoModel } from "@/lib/engine/demo-model/build-demo-model";
import { addModel } from "@/lib/services/models";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture & { env: Record<string, string> };
let mistral: Mistral;

beforeAll(async () => {
  // Eight sequences and no queue: eight requests run at once and a ninth is refused at once.
  fx = await startGatewayFixture({ BORA_LOCAL_SEQUENCES: "8", BORA_LOCAL_QUEUE: "0" });
  mistral = new Mistral({ apiKey: fx.key, serverURL: fx.bora.url });
  // The demo model's variant with Codestral's FIM tokens, and the plain one offered for FIM.
  fs.writeFileSync(path.join(modelsDir(getConfig(fx.env)), "bora-demo-fim.gguf"), buildDemoModel(42, { fim: true }));
  await addModel(fx.bora.db.db, fx.admin, { alias: "demo-fim", provider: "local", upstreamModel: "bora-demo-fim.gguf", capabilities: ["fim", "chat"] });
  await addModel(fx.bora.db.db, fx.admin, { alias: "demo-no-fim", provider: "local", upstreamModel: "bora-demo.gguf", capabilities: ["fim", "chat"] });
});
afterAll(() => fx.close());

const order = {
  type: "object",
  properties: {
    id: { type: "integer", minimum: 1, maximum: 1_000_000 },
    price: { type: "number", exclusiveMinimum: 0, maximum: 999.99 },
    status: { enum: ["open", "paid", "shipped"] },
    lines: { type: "array", minItems: 1, maxItems: 3, items: { type: "object", properties: { sku: { type: "string", pattern: "^[A-Z]{3}-[0-9]{2}$" }, qty: { type: "integer", minimum: 1, maximum: 20 } }, required: ["sku", "qty"] } },
    note: { type: "string", maxLength: 10 },
  },
  required: ["id", "price", "status", "lines"],
  additionalProperties: false,
};

function post(body: Record<string, unknown>) {
  return fetch(`${fx.bora.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json" }, body: JSON.stringify({ model: "bora-demo", messages: [{ role: "user", content: "Hi" }], ...body }) });
}

describe("guided decoding on the local engine, through the SDK", () => {
  it("answers whole and streamed in JSON that validates against the schema", async () => {
    const validate = new Ajv({ strict: false }).compile(order);
    const responseFormat = { type: "json_schema" as const, jsonSchema: { name: "order", schemaDefinition: order, strict: true } };
    for (const seed of [1, 2]) {
      const r = await mistral.chat.complete({ model: "bora-demo", messages: [{ role: "user", content: "An order" }], maxTokens: 200, randomSeed: seed, responseFormat });
      const content = String(r.choices?.[0]?.message?.content);
      expect(validate(JSON.parse(content)), content).toBe(true);
      expect(r.choices?.[0]?.finishReason).toBe("stop");
      let text = "";
      for await (const e of await mistral.chat.stream({ model: "bora-demo", messages: [{ role: "user", content: "An order" }], maxTokens: 200, randomSeed: seed, responseFormat })) text += e.data.choices[0]?.delta.content ?? "";
      expect(text).toBe(content); // same seed, same answer
    }
    const o = await mistral.chat.complete({ model: "bora-demo", messages: [{ role: "user", content: "Any object" }], maxTokens: 100, randomSeed: 5, responseFormat: { type: "json_object" } });
    const value = JSON.parse(String(o.choices?.[0]?.message?.content)) as unknown;
    expect(typeof value === "object" && value !== null && !Array.isArray(value)).toBe(true);
  });

  it("returns a tool call the official SDK reads, whole and streamed", async () => {
    const tools = [{ type: "function" as const, function: { name: "place_order", description: "Place an order", parameters: order } }];
    const validate = new Ajv({ strict: false }).compile(order);
    const r = await mistral.chat.complete({ model: "bora-demo", messages: [{ role: "user", content: "Order something" }], maxTokens: 200, randomSeed: 3, tools, toolChoice: "any" });
    const call = r.choices?.[0]?.message?.toolCalls?.[0];
    expect(r.choices?.[0]?.finishReason).toBe("tool_calls");
    expect(call?.function.name).toBe("place_order");
    expect(validate(JSON.parse(String(call?.function.arguments)))).toBe(true);
    const streamed = [];
    for await (const e of await mistral.chat.stream({ model: "bora-demo", messages: [{ role: "user", content: "Order something" }], maxTokens: 200, randomSeed: 3, tools, toolChoice: "any" })) streamed.push(...(e.data.choices[0]?.delta.toolCalls ?? []));
    expect(streamed.map((c) => c.function.name)).toEqual(["place_order"]);
    expect(streamed[0]!.function.arguments).toBe(call?.function.arguments); // same seed, same call
  });

  it("refuses keywords it cannot enforce, and a max_tokens too small for the schema, with a 400 that says so", async () => {
    const unsupported = await post({ response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object", properties: { mail: { type: "string", format: "email" }, n: { type: "integer", multipleOf: 3 } } } } } });
    expect(unsupported.status).toBe(400);
    const body = (await unsupported.json()) as { message: string; param: string };
    expect(body.message).toContain("/properties/mail: format");
    expect(body.message).toContain("/properties/n: multipleOf");
    expect(body.param).toBe("response_format");

    const small = await post({ max_tokens: 20, response_format: { type: "json_schema", json_schema: { name: "order", schema: order } } });
    expect(small.status).toBe(400);
    expect(((await small.json()) as { message: string }).message).toMatch(/max_tokens is too small.*Raise max_tokens to at least \d+/);

    const huge = await post({ response_format: { type: "json_schema", json_schema: { name: "big", schema: { type: "integer", minimum: 2 ** 60 } } } });
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { message: string }).message).toMatch(/2\^53/);
  });
});

describe("fill-in-the-middle on the local engine", () => {
  it("completes between prompt and suffix, whole and streamed, for a model with FIM tokens", async () => {
    const r = await mistral.fim.complete({ model: "demo-fim", prompt: "def add(a, b):", suffix: "\nprint(add(1, 2))", maxTokens: 10, randomSeed: 4 });
    const content = String(r.choices?.[0]?.message?.content);
    expect(content.length).toBeGreaterThan(0);
    expect(r.usage).toMatchObject({ completionTokens: 10 });
    let text = "";
    for await (const e of await mistral.fim.stream({ model: "demo-fim", prompt: "def add(a, b):", suffix: "\nprint(add(1, 2))", maxTokens: 10, randomSeed: 4 })) text += e.data.choices[0]?.delta.content ?? "";
    expect(text).toBe(content);
  });

  it("answers 400 for a model without FIM tokens", async () => {
    const res = await fetch(`${fx.bora.url}/v1/fim/completions`, { method: "POST", headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json" }, body: JSON.stringify({ model: "demo-no-fim", prompt: "a", suffix: "b" }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/cannot complete code in the middle: its GGUF file \(bora-demo.gguf\) names no fill-in-the-middle/);
  });
});

describe("serving on the local engine", () => {
  it("streams eight requests at once, interleaved, and refuses a ninth with 503 and Retry-After", async () => {
    const arrivals: number[] = [];
    const done: boolean[] = Array.from({ length: 8 }, () => false);
    let firstDone = -1;
    const started = Array.from({ length: 8 }, () => {
      let resolve!: () => void;
      return { promise: new Promise<void>((r) => (resolve = r)), resolve };
    });
    const streams = Array.from({ length: 8 }, async (_, i) => {
      const res = await post({ stream: true, max_tokens: 300, random_seed: i, messages: [{ role: "user", content: `Stream ${i}` }] });
      expect(res.status).toBe(200);
      const decoder = new TextDecoder();
      let buffer = "";
      let text = "";
      for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(part, { stream: true });
        const events = buffer.split("\n\n");
        buffer = events.pop()!;
        for (const event of events) {
          if (event === "data: [DONE]") {
            done[i] = true;
            if (firstDone < 0) firstDone = arrivals.length;
            continue;
          }
          const chunk = JSON.parse(event.slice(6)) as { choices: { delta: { content?: string } }[] };
          started[i]!.resolve();
          const content = chunk.choices[0]?.delta.content;
          if (content) {
            text += content;
            arrivals.push(i);
          }
        }
      }
      return text;
    });
    // Every one of the eight holds a sequence (its first chunk has come): the ninth finds none.
    await Promise.all(started.map((s) => s.promise));
    const ninth = await post({ stream: true, max_tokens: 10 });
    const stillRunning = done.filter((d) => !d).length;
    expect(ninth.status).toBe(503);
    expect(Number(ninth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await ninth.json()) as { message: string }).message).toMatch(/local engine is busy/);

    const texts = await Promise.all(streams);
    expect(done).toEqual(Array(8).fill(true));
    expect(texts.every((t) => t.length > 0)).toBe(true);
    expect(stillRunning).toBeGreaterThan(0); // the refusal came while the eight were streaming
    // Interleaved: chunks of all eight arrived before the first stream ended, and the arrival
    // order switches between requests all along rather than running one after another.
    expect(new Set(arrivals.slice(0, firstDone)).size).toBe(8);
    const switches = arrivals.filter((r, k) => k > 0 && r !== arrivals[k - 1]).length;
    expect(switches).toBeGreaterThan(arrivals.length / 4);
  });
});
