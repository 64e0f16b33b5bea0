// The official clients, unchanged, against Bora in front of the upstream simulator.
import { Mistral } from "@mistralai/mistralai";
import { Mistral as MistralV1 } from "mistral-v1";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture;
let mistral: Mistral;
let mistralV1: MistralV1;
let openai: OpenAI;

const weather = {
  type: "function" as const,
  function: { name: "get_weather", description: "Weather in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};
const time = {
  type: "function" as const,
  function: { name: "get_time", description: "Local time in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};
const personSchema = { type: "object", properties: { name: { type: "string" }, age: { type: "integer", minimum: 18 } }, required: ["name", "age"], additionalProperties: false };
const pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk+A8AAQUBAScY42YAAAAASUVORK5CYII=";

beforeAll(async () => {
  fx = await startGatewayFixture();
  mistral = new Mistral({ apiKey: fx.key, serverURL: fx.bora.url });
  mistralV1 = new MistralV1({ apiKey: fx.key, serverURL: fx.bora.url });
  openai = new OpenAI({ apiKey: fx.key, baseURL: `${fx.bora.url}/v1` });
});
afterAll(() => fx.close());

describe("@mistralai/mistralai 2.x", () => {
  it("chats", async () => {
    const r = await mistral.chat.complete({ model: "small", messages: [{ role: "user", content: "Bonjour" }] });
    expect(r.model).toBe("small");
    expect(r.choices?.[0]?.message?.content).toBe("Hello from the simulator. You said: Bonjour");
    expect(r.usage?.promptTokens).toBeGreaterThan(0);
  });

  it("streams", async () => {
    const stream = await mistral.chat.stream({ model: "small", messages: [{ role: "user", content: "stream please" }] });
    let text = "";
    let chunks = 0;
    let usage;
    for await (const event of stream) {
      chunks++;
      text += event.data.choices[0]?.delta.content ?? "";
      usage = event.data.usage ?? usage;
    }
    expect(chunks).toBeGreaterThan(5);
    expect(text).toBe("Hello from the simulator. You said: stream please");
    expect(usage?.completionTokens).toBe(8);
  });

  it("makes parallel tool calls with tool_choice any", async () => {
    const r = await mistral.chat.complete({ model: "small", messages: [{ role: "user", content: "Weather and time in Paris?" }], tools: [weather, time], toolChoice: "any" });
    const calls = r.choices?.[0]?.message?.toolCalls ?? [];
    expect(r.choices?.[0]?.finishReason).toBe("tool_calls");
    expect(calls.map((c) => c.function.name)).toEqual(["get_weather", "get_time"]);
    expect(JSON.parse(String(calls[0]!.function.arguments))).toEqual({ city: "sample" });
  });

  it("answers in a json_schema", async () => {
    const r = await mistral.chat.complete({
      model: "small",
      messages: [{ role: "user", content: "A person" }],
      responseFormat: { type: "json_schema", jsonSchema: { name: "person", schemaDefinition: personSchema, strict: true } },
    });
    expect(JSON.parse(String(r.choices?.[0]?.message?.content))).toEqual({ name: "sample", age: 18 });
  });

  it("sends images", async () => {
    const r = await mistral.chat.complete({
      model: "large",
      messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", imageUrl: pixel }] }],
    });
    expect(r.choices?.[0]?.message?.content).toMatch(/^I see 1 image\./);
  });

  it("completes code in the middle, whole and streamed", async () => {
    const r = await mistral.fim.complete({ model: "codestral", prompt: "def add(a, b):", suffix: "\nprint(add(1, 2))" });
    expect(r.choices?.[0]?.message?.content).toBe("\n    return a + b\n");
    const stream = await mistral.fim.stream({ model: "codestral", prompt: "def add(a, b):", suffix: "" });
    let text = "";
    for await (const e of stream) text += e.data.choices[0]?.delta.content ?? "";
    expect(text).toBe("\n    return a + b");
  });

  it("embeds", async () => {
    const r = await mistral.embeddings.create({ model: "embed", inputs: ["one", "two"] });
    expect(r.data).toHaveLength(2);
    expect(r.data[0]?.embedding).toHaveLength(16);
    expect(r.data[0]?.embedding).not.toEqual(r.data[1]?.embedding);
  });

  it("lists models with capabilities", async () => {
    const r = await mistral.models.list();
    const cards = (r.data ?? []) as { id: string; capabilities: Record<string, boolean> }[];
    expect(cards.map((m) => m.id)).toEqual(["auto", "bora-demo", "codestral", "embed", "large", "oai", "resilient", "small"]);
    expect(cards.find((m) => m.id === "large")?.capabilities).toMatchObject({ completionChat: true, vision: true });
  });
});

describe("@mistralai/mistralai 1.x", () => {
  it("chats, streams, completes code and embeds", async () => {
    const r = await mistralV1.chat.complete({ model: "small", messages: [{ role: "user", content: "v1" }] });
    expect(r.choices?.[0]?.message?.content).toBe("Hello from the simulator. You said: v1");
    let text = "";
    for await (const e of await mistralV1.chat.stream({ model: "small", messages: [{ role: "user", content: "v1 stream" }] })) text += e.data.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello from the simulator. You said: v1 stream");
    const f = await mistralV1.fim.complete({ model: "codestral", prompt: "x", suffix: "y" });
    expect(f.choices?.[0]?.message?.content).toBe(" a + b");
    const e = await mistralV1.embeddings.create({ model: "embed", inputs: "hello" });
    expect(e.data[0]?.embedding).toHaveLength(16);
  });
});

describe("openai v5, through the Mistral-dialect and the OpenAI-dialect upstreams", () => {
  for (const model of ["small", "oai"]) {
    it(`chats and streams (${model})`, async () => {
      const r = await openai.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }], seed: 7 });
      expect(r.choices[0]?.message?.content).toBe("Hello from the simulator. You said: hi");
      const stream = await openai.chat.completions.create({ model, messages: [{ role: "user", content: "hi stream" }], stream: true });
      let text = "";
      for await (const c of stream) text += c.choices[0]?.delta.content ?? "";
      expect(text).toBe("Hello from the simulator. You said: hi stream");
    });
  }

  it("makes parallel tool calls and honours a named tool_choice", async () => {
    const r = await openai.chat.completions.create({ model: "oai", messages: [{ role: "user", content: "Paris?" }], tools: [weather, time], tool_choice: "required" });
    expect(r.choices[0]?.message?.tool_calls?.map((c) => (c as { function: { name: string } }).function.name)).toEqual(["get_weather", "get_time"]);
    const named = await openai.chat.completions.create({ model: "small", messages: [{ role: "user", content: "Paris?" }], tools: [weather, time], tool_choice: { type: "function", function: { name: "get_time" } } });
    expect(named.choices[0]?.message?.tool_calls?.map((c) => (c as { function: { name: string } }).function.name)).toEqual(["get_time"]);
  });

  it("answers in a json_schema and reads images", async () => {
    const r = await openai.chat.completions.create({ model: "oai", messages: [{ role: "user", content: "A person" }], response_format: { type: "json_schema", json_schema: { name: "person", schema: personSchema, strict: true } } });
    expect(JSON.parse(r.choices[0]?.message?.content ?? "")).toEqual({ name: "sample", age: 18 });
    const img = await openai.chat.completions.create({ model: "oai", messages: [{ role: "user", content: [{ type: "text", text: "?" }, { type: "image_url", image_url: { url: pixel } }] }] });
    expect(img.choices[0]?.message?.content).toMatch(/^I see 1 image/);
  });

  it("embeds (base64 by default) and completes code through /v1/fim/completions", async () => {
    const e = await openai.embeddings.create({ model: "embed", input: ["a", "b"] });
    expect(e.data).toHaveLength(2);
    expect(e.data[0]?.embedding).toHaveLength(16);
    const direct = await mistral.embeddings.create({ model: "embed", inputs: ["a"] });
    expect(e.data[0]!.embedding[0]).toBeCloseTo(direct.data[0]!.embedding![0]!, 5);
    const fim = (await openai.post("/fim/completions", { body: { model: "oai", prompt: "def f():", suffix: "" } })) as { choices: { message: { content: string } }[] };
    expect(fim.choices[0]?.message?.content).toBe("\n    return a + b\n");
  });

  it("shows Bora's error message and status, as it does OpenAI's", async () => {
    const refused = await openai.embeddings.create({ model: "small", input: "a" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(refused).toMatchObject({ status: 400, code: "bad_request:model", param: "model", type: "invalid_request_error" });
    expect((refused as Error).message).toBe('400 The model "small" does not support embeddings.');
  });
});

describe("translation to OpenAI-compatible upstreams", () => {
  it("renames, rewrites or drops Mistral-only fields", async () => {
    fx.sim.requests.length = 0;
    await mistral.chat.complete({
      model: "oai",
      randomSeed: 42,
      safePrompt: true,
      toolChoice: "any",
      tools: [weather],
      messages: [{ role: "user", content: [{ type: "text", text: "x" }, { type: "image_url", imageUrl: pixel }] }],
    });
    const sent = fx.sim.requests.at(-1)!;
    expect(sent.dialect).toBe("openai");
    expect(sent.body).toMatchObject({ model: "sim-small", seed: 42, tool_choice: "required" });
    expect(sent.body).not.toHaveProperty("random_seed");
    expect(sent.body).not.toHaveProperty("safe_prompt");
    expect((sent.body.messages as { content: { image_url?: unknown }[] }[])[0]!.content[1]!.image_url).toEqual({ url: pixel });
    expect(sent.authorization).toBe("Bearer sim-openai-key");
  });

  it("says which model an auto alias chose", async () => {
    const cheap = await mistral.chat.complete({ model: "auto", messages: [{ role: "user", content: "hi" }] });
    expect(cheap.model).toBe("small");
    const vision = await mistral.chat.complete({ model: "auto", messages: [{ role: "user", content: [{ type: "image_url", imageUrl: pixel }] }] });
    expect(vision.model).toBe("large");
  });
});

describe("the demo model on the local engine, offline", () => {
  it("answers whole and streamed through the official SDK", async () => {
    const r = await mistral.chat.complete({ model: "bora-demo", messages: [{ role: "user", content: "Hello" }], maxTokens: 12, randomSeed: 3 });
    expect(r.model).toBe("bora-demo");
    expect(String(r.choices?.[0]?.message?.content).length).toBeGreaterThan(0);
    expect(r.usage).toMatchObject({ completionTokens: 12 });
    expect(r.choices?.[0]?.finishReason).toBe("length");
    let text = "";
    let chunks = 0;
    for await (const e of await mistral.chat.stream({ model: "bora-demo", messages: [{ role: "user", content: "Hello" }], maxTokens: 12, randomSeed: 3 })) {
      chunks++;
      text += e.data.choices[0]?.delta.content ?? "";
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe(r.choices?.[0]?.message?.content); // same seed, same words
  });

  it("embeds, through both SDKs", async () => {
    const e = await mistral.embeddings.create({ model: "bora-demo", inputs: ["hello", "world"] });
    expect(e.data).toHaveLength(2);
    expect(e.data[0]?.embedding).toHaveLength(64); // the demo model is 64 wide
    expect(e.data[0]?.embedding).not.toEqual(e.data[1]?.embedding);
    const o = await openai.embeddings.create({ model: "bora-demo", input: "hello" });
    expect(o.data[0]?.embedding[0]).toBeCloseTo(e.data[0]!.embedding![0]!, 4);
    await expect(mistral.embeddings.create({ model: "bora-demo", inputs: ["x"], outputDimension: 8 })).rejects.toThrow(/64 dimensions/);
  });
});
