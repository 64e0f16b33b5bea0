// The simulator's answers as pure functions of the request body: what server.ts sends for a
// non-streamed chat, FIM or embeddings request (and streams piece by piece), and what a batch
// line's response holds (batch.ts), so the two always agree.
import crypto from "node:crypto";
import { answer, countTokens, embedding, fimCompletion, pieces, promptTokens, type SimMessage } from "./content";
import type { Dialect } from "./respond";

/** The fields every completion starts with; `created` is unix seconds. */
export type CompletionBase = { id: string; created: number; model: unknown };
export type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };
export type ToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };
export type ChatReply = { text: string; finish: "stop" | "length" | "tool_calls"; toolCalls?: ToolCall[]; usage: Usage };

export function completionBase(model: unknown, createdMs = Date.now()): CompletionBase {
  return { id: `sim-${crypto.randomUUID().slice(0, 8)}`, created: Math.floor(createdMs / 1000), model };
}

/** What the model says to a chat request (whose messages the caller checked are not empty), cut at max_tokens. */
export function chatReply(body: Record<string, unknown>): ChatReply {
  const reply = answer(body as never);
  let text = reply.kind === "text" ? reply.text : "";
  let finish: ChatReply["finish"] = reply.kind === "tools" ? "tool_calls" : "stop";
  const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : undefined;
  if (reply.kind === "text" && maxTokens !== undefined && pieces(text).length > maxTokens) {
    text = pieces(text).slice(0, maxTokens).join("");
    finish = "length";
  }
  const toolCalls = reply.kind === "tools" ? reply.calls.map((c): ToolCall => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) : undefined;
  const prompt = promptTokens(body.messages as SimMessage[]);
  const completion = toolCalls ? countTokens(JSON.stringify(toolCalls)) : pieces(text).length;
  return { text, finish, toolCalls, usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } };
}

/** The non-streamed chat.completion. A tool call's content is "" for Mistral and null for OpenAI. */
export function chatCompletion(reply: ChatReply, dialect: Dialect, base: CompletionBase) {
  const { text, finish, toolCalls, usage } = reply;
  const message = { role: "assistant", content: toolCalls ? (dialect === "mistral" ? "" : null) : text, ...(toolCalls ? { tool_calls: toolCalls } : {}) };
  return { ...base, object: "chat.completion", choices: [{ index: 0, message, finish_reason: finish }], usage };
}

export function fimReply(body: Record<string, unknown>): { text: string; usage: Usage } {
  const text = fimCompletion(String(body.prompt ?? ""), String(body.suffix ?? ""));
  const prompt = countTokens(String(body.prompt ?? "") + String(body.suffix ?? ""));
  return { text, usage: { prompt_tokens: prompt, completion_tokens: pieces(text).length, total_tokens: prompt + pieces(text).length } };
}

/** Mistral answers FIM as a chat.completion; OpenAI's /v1/completions as a text_completion. */
export function fimCompletionBody(reply: { text: string; usage: Usage }, dialect: Dialect, base: CompletionBase) {
  const { text, usage } = reply;
  if (dialect === "openai") return { ...base, object: "text_completion", choices: [{ index: 0, text, finish_reason: "stop" }], usage };
  return { ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }], usage };
}

/** Sixteen dimensions unless output_dimension (Mistral) or dimensions (OpenAI) says otherwise. */
export function embeddingsBody(body: Record<string, unknown>, base: CompletionBase) {
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
  const dims = typeof body.output_dimension === "number" ? body.output_dimension : typeof body.dimensions === "number" ? body.dimensions : 16;
  const prompt = inputs.reduce((n, t) => n + countTokens(t), 0);
  return {
    id: base.id,
    object: "list",
    model: base.model,
    data: inputs.map((t, index) => ({ object: "embedding", index, embedding: embedding(t, dims) })),
    usage: { prompt_tokens: prompt, total_tokens: prompt, completion_tokens: 0 },
  };
}
