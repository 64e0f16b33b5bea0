// Tool calls on the local engine. When the request makes a call necessary (tool_choice "any",
// "required" or a named function), the answer is held by the same exact grammar as json_schema
// to one call {name, arguments} of a listed function, its arguments following that function's
// parameters schema; it is returned as tool_calls. With "auto", whether to call is the model's
// own decision, which a GGUF's chat template alone does not make reliable: refused, clearly.
import crypto from "node:crypto";
import { BoraError, isBoraError } from "@/lib/errors";
import type { Body } from "@/lib/gateway/providers/types";
import { guidedFor, type Guided } from "./guided/response-format";

type Tool = { type?: string; function?: { name?: string; description?: string; parameters?: Record<string, unknown> } };
export type ToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

/** The grammar and the instructions for a call the request requires; null when tools play no part. */
export function forcedToolCall(body: Body, maxTokens: number): { guided: Guided; instructions: string } | null {
  const tools = (Array.isArray(body.tools) ? body.tools : []) as Tool[];
  const choice = body.tool_choice as string | { type?: string; function?: { name?: string } } | undefined;
  if (!tools.length || choice === "none") return null;
  const named = typeof choice === "object" ? choice?.function?.name : undefined;
  if (choice === undefined || choice === "auto" || (typeof choice === "object" && !named)) {
    throw new BoraError("bad_request:local_tool_choice", 'The local engine calls a tool only when the request requires one: set tool_choice to "any" (or "required") or name a function; with "auto" it cannot tell reliably whether to call.', { param: "tool_choice" });
  }
  const offered = named ? tools.filter((t) => t.function?.name === named) : tools;
  if (!offered.length) throw new BoraError("bad_request:tool_choice", `tool_choice names ${named}, which is not among the tools.`, { param: "tool_choice" });
  const schema = {
    anyOf: offered.map((t) => ({
      type: "object",
      properties: { name: { const: t.function?.name }, arguments: t.function?.parameters ?? { type: "object" } },
      required: ["name", "arguments"],
      additionalProperties: false,
    })),
  };
  let guided: Guided | undefined;
  try {
    guided = guidedFor({ type: "json_schema", json_schema: { schema } }, maxTokens);
  } catch (err) {
    // The function's parameters are what the client wrote: name that, not response_format.
    if (isBoraError(err)) throw new BoraError("bad_request:tools", err.message.replace(/response_format\.json_schema\.schema/g, "a function's parameters"), { param: "tools" });
    throw err;
  }
  const listing = offered.map((t) => JSON.stringify({ name: t.function?.name, description: t.function?.description, parameters: t.function?.parameters })).join("\n");
  return { guided: guided!, instructions: `Call exactly one of these functions. Answer with a JSON object {"name": <function name>, "arguments": <its arguments>} and nothing else.\n${listing}` };
}

/** The grammar-held answer as Mistral's tool call (ids of nine letters and digits, like its own). */
export function toolCallOf(text: string): ToolCall {
  const { name, arguments: args } = JSON.parse(text) as { name: string; arguments: unknown };
  return { id: crypto.randomBytes(9).toString("base64url").replace(/[-_]/g, "x").slice(0, 9), type: "function", function: { name, arguments: JSON.stringify(args) } };
}

/** Earlier calls and their results, as text the chat template can hold. */
export function toolCallText(calls: unknown): string {
  if (!Array.isArray(calls)) return "";
  return calls.map((c: { function?: { name?: string; arguments?: unknown } }) => JSON.stringify({ name: c.function?.name, arguments: typeof c.function?.arguments === "string" ? safeJson(c.function.arguments) : c.function?.arguments })).join("\n");
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
