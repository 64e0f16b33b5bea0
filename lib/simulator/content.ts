// What the simulated model says: deterministic answers built from the request, so tests can
// assert on them. Text, tool calls (parallel too), JSON that fits a given schema, FIM code,
// and embeddings derived from a hash of the input.
import crypto from "node:crypto";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type SimMessage = { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string };
export type SimTool = { type: "function"; function: { name: string; parameters?: Record<string, unknown> } };

export type Answer = { kind: "text"; text: string } | { kind: "tools"; calls: { id: string; name: string; arguments: string }[] };

/** About four characters a token, as with real tokenizers on English. */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((c) => (c && typeof c === "object" && "text" in c ? String((c as { text: unknown }).text) : "")).join(" ");
  return "";
}

export function imageCount(messages: SimMessage[]): number {
  return messages.reduce((n, m) => n + (Array.isArray(m.content) ? m.content.filter((c) => c && typeof c === "object" && (c as { type?: string }).type === "image_url").length : 0), 0);
}

export function promptTokens(messages: SimMessage[]): number {
  return messages.reduce((n, m) => n + countTokens(messageText(m.content)) + 4, 0);
}

export function answer(body: { messages: SimMessage[]; tools?: SimTool[]; tool_choice?: unknown; parallel_tool_calls?: boolean; response_format?: { type: string; json_schema?: { schema?: Record<string, unknown> } } }): Answer {
  const last = body.messages.at(-1);
  const tools = body.tools ?? [];
  if (tools.length && body.tool_choice !== "none" && last?.role === "user") {
    const named = typeof body.tool_choice === "object" && body.tool_choice ? (body.tool_choice as { function?: { name?: string } }).function?.name : undefined;
    const chosen = named ? tools.filter((t) => t.function.name === named) : body.parallel_tool_calls === false ? tools.slice(0, 1) : tools.slice(0, 2);
    return {
      kind: "tools",
      calls: chosen.map((t, i) => ({ id: callId(messageText(last.content), i), name: t.function.name, arguments: JSON.stringify(instanceOf(t.function.parameters ?? { type: "object" })) })),
    };
  }
  const format = body.response_format;
  if (format?.type === "json_schema") return { kind: "text", text: JSON.stringify(instanceOf(format.json_schema?.schema ?? { type: "object" })) };
  if (format?.type === "json_object") return { kind: "text", text: JSON.stringify({ answer: "simulated", words: 2 }) };
  if (last?.role === "tool") return { kind: "text", text: `The tool answered: ${messageText(last.content).slice(0, 200)}` };
  const images = imageCount(body.messages);
  const said = messageText(last?.content).slice(0, 200);
  return { kind: "text", text: `${images ? `I see ${images} image${images > 1 ? "s" : ""}. ` : ""}Hello from the simulator. You said: ${said}` };
}

// Mistral's tool call ids are nine alphanumerics.
function callId(seed: string, i: number): string {
  return crypto.createHash("sha256").update(`${seed}:${i}`).digest("base64").replace(/[^a-zA-Z0-9]/g, "").slice(0, 9);
}

/** A value that satisfies a (simple) JSON Schema: types, enums, consts, bounds, required, items. */
export function instanceOf(schema: Record<string, unknown>): Json {
  if ("const" in schema) return schema.const as Json;
  if (Array.isArray(schema.enum)) return schema.enum[0] as Json;
  if (Array.isArray(schema.anyOf)) return instanceOf(schema.anyOf[0] as Record<string, unknown>);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string": {
      const min = Number(schema.minLength ?? 0);
      const base = "sample";
      return base.length >= min ? base.slice(0, Number(schema.maxLength ?? base.length)) : base.padEnd(min, "x");
    }
    case "integer":
    case "number": {
      const min = schema.minimum !== undefined ? Number(schema.minimum) : schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : 1;
      return type === "integer" ? Math.ceil(min) : min;
    }
    case "boolean":
      return true;
    case "null":
      return null;
    case "array": {
      const n = Number(schema.minItems ?? 1);
      return Array.from({ length: n }, () => instanceOf((schema.items as Record<string, unknown>) ?? { type: "string" }));
    }
    default: {
      const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, instanceOf(v)]));
    }
  }
}

export function fimCompletion(prompt: string, suffix: string): string {
  return prompt.trimEnd().endsWith(":") || prompt.includes("def ") ? "\n    return a + b\n" : suffix ? " a + b" : " = 42;";
}

export function embedding(text: string, dimensions = 16): number[] {
  const digest = crypto.createHash("sha512").update(text).digest();
  const raw = Array.from({ length: dimensions }, (_, i) => digest[i % digest.length]! / 255 - 0.5);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => Number((x / norm).toFixed(6)));
}

/** Splits text into stream pieces of about one token: words with their leading space. */
export function pieces(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [text];
}
