// OpenAI's API and the servers that copy it (vLLM, Ollama, llama.cpp, LM Studio): Mistral-only
// fields are translated or dropped, because these servers reject what they do not know, and
// their answers are mapped back. FIM goes to /v1/completions with `suffix`.
import { applyRules, type Body, type ParamRule, type ProviderAdapter } from "./types";

type Message = Record<string, unknown> & { role?: string; content?: unknown };

function translateMessage(m: Message): Message {
  const { prefix: _prefix, ...rest } = m; // OpenAI has no assistant prefill
  if (!Array.isArray(rest.content)) return rest;
  return {
    ...rest,
    content: rest.content.map((c: Record<string, unknown>) => (c?.type === "image_url" && typeof c.image_url === "string" ? { ...c, image_url: { url: c.image_url } } : c)),
  };
}

const common: ParamRule[] = [
  { param: "random_seed", to: "seed" },
  { param: "safe_prompt", drop: true },
  { param: "metadata", drop: true },
];

const chatRules: ParamRule[] = [
  ...common,
  { param: "messages", transform: (v) => (v as Message[]).map(translateMessage) },
  { param: "tool_choice", transform: (v) => (v === "any" ? "required" : v) },
];

const fimRules: ParamRule[] = [...common, { param: "min_tokens", drop: true }];
const embeddingRules: ParamRule[] = [
  { param: "output_dimension", to: "dimensions" },
  { param: "output_dtype", drop: true },
  { param: "metadata", drop: true },
];

function withStreamUsage(body: Body): Body {
  return body.stream ? { ...body, stream_options: { include_usage: true } } : body;
}

// A text completion choice as a chat choice, the shape Mistral's FIM endpoint answers with.
function fimChoice(choice: Record<string, unknown>, streamed: boolean) {
  const text = String(choice.text ?? "");
  return streamed
    ? { index: choice.index ?? 0, delta: { content: text }, finish_reason: choice.finish_reason ?? null }
    : { index: choice.index ?? 0, message: { role: "assistant", content: text }, finish_reason: choice.finish_reason ?? "stop" };
}

export const openAiCompatibleAdapter: ProviderAdapter = {
  request(endpoint, body, upstreamModel) {
    if (endpoint === "chat") return { path: "/v1/chat/completions", body: withStreamUsage({ ...applyRules(body, chatRules), model: upstreamModel }) };
    if (endpoint === "fim") return { path: "/v1/completions", body: withStreamUsage({ ...applyRules(body, fimRules), model: upstreamModel }) };
    return { path: "/v1/embeddings", body: { ...applyRules(body, embeddingRules), model: upstreamModel } };
  },
  response(endpoint, body) {
    if (endpoint !== "fim") return body;
    const choices = (body.choices as Record<string, unknown>[] | undefined) ?? [];
    return { ...body, object: "chat.completion", choices: choices.map((c) => fimChoice(c, false)) };
  },
  chunk(endpoint, chunk) {
    if (endpoint !== "fim") return chunk;
    const choices = (chunk.choices as Record<string, unknown>[] | undefined) ?? [];
    return { ...chunk, object: "chat.completion.chunk", choices: choices.map((c) => fimChoice(c, true)) };
  },
};
