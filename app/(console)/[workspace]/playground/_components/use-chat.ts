"use client";
// The playground's conversation: sends it to /api/playground/chat, streams the answer in as it
// arrives, and measures what the person sees: time to first token, tokens per second, cost.
import { useRef, useState } from "react";
import { readChatStream } from "@/lib/playground/read-stream";
import type { Message, Settings } from "@/lib/playground/settings";

export type { Message, Settings };
export type ToolCall = NonNullable<Message["toolCalls"]>[number];

// The API's shapes: images as image_url chunks after the text, tool calls and their results.
export function wireMessage(m: Message) {
  if (m.role === "tool") return { role: "tool", tool_call_id: m.toolCallId, name: m.name, content: m.content };
  if (m.toolCalls?.length) return { role: "assistant", content: m.content, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) };
  return m.images?.length ? { role: m.role, content: [{ type: "text", text: m.content }, ...m.images.map((url) => ({ type: "image_url", image_url: url }))] } : { role: m.role, content: m.content };
}

type CallDelta = { index?: number; id?: string; function?: { name?: string; arguments?: string } };

// Streams send a call whole (Mistral) or in pieces by index (OpenAI-style): assemble both.
function mergeCalls(calls: ToolCall[], deltas: CallDelta[]): ToolCall[] {
  const next = calls.map((c) => ({ ...c }));
  deltas.forEach((d, i) => {
    const at = d.index ?? i;
    const call = (next[at] ??= { id: "", name: "", arguments: "" });
    if (d.id) call.id = d.id;
    if (d.function?.name) call.name += d.function.name;
    if (d.function?.arguments) call.arguments += d.function.arguments;
  });
  return next;
}

function toolOptions(s: Settings) {
  if (!s.tools.trim()) return {};
  try {
    const tools = JSON.parse(s.tools) as unknown[];
    return tools.length ? { tools, tool_choice: s.toolChoice } : {};
  } catch {
    return {}; // the editor shows the error and sending is blocked
  }
}

function responseFormat(s: Settings) {
  if (s.format === "json_object") return { response_format: { type: "json_object" } };
  if (s.format === "json_schema") {
    try {
      return { response_format: { type: "json_schema", json_schema: { name: "response", schema: JSON.parse(s.schema), strict: true } } };
    } catch {
      return {}; // the editor shows the error and sending is blocked
    }
  }
  return {};
}
export type Metrics = { ttftMs: number | null; tokensPerSecond: number | null; promptTokens: number; completionTokens: number; cost: number | null; model: string };
type Prices = Record<string, { inputPrice: number; outputPrice: number }>;

export function useChat(workspace: string, prices: Prices, initial: Message[] = []) {
  const [messages, setMessages] = useState<Message[]>(initial);
  const [streaming, setStreaming] = useState(false);
  const [error, setError] = useState<string>();
  const [metrics, setMetrics] = useState<Metrics>();
  const abort = useRef<AbortController | null>(null);

  /** Resolves once the answer is complete, stopped or failed. */
  async function send(history: Message[], settings: Settings): Promise<void> {
    setError(undefined);
    setMetrics(undefined);
    setMessages([...history, { role: "assistant", content: "" }]);
    setStreaming(true);
    const controller = new AbortController();
    abort.current = controller;
    const started = performance.now();
    let ttft: number | null = null;
    let text = "";
    let calls: ToolCall[] = [];
    try {
      const res = await fetch("/api/playground/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        signal: controller.signal,
        body: JSON.stringify({
          workspace,
          model: settings.model,
          stream: true,
          temperature: settings.temperature,
          top_p: settings.topP,
          ...(settings.maxTokens ? { max_tokens: Number(settings.maxTokens) } : {}),
          ...(settings.seed ? { random_seed: Number(settings.seed) } : {}),
          ...responseFormat(settings),
          ...toolOptions(settings),
          messages: [...(settings.system.trim() ? [{ role: "system", content: settings.system }] : []), ...history.map(wireMessage)],
        }),
      });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        throw new Error(body.message ?? `The request failed (${res.status}).`);
      }
      for await (const chunk of readChatStream(res.body)) {
        const delta = chunk.choices?.[0]?.delta;
        const piece = delta?.content ?? "";
        if (piece || delta?.tool_calls?.length) {
          ttft ??= performance.now() - started;
          text += piece;
          if (delta?.tool_calls?.length) calls = mergeCalls(calls, delta.tool_calls as CallDelta[]);
          setMessages([...history, { role: "assistant", content: text, ...(calls.length ? { toolCalls: calls } : {}) }]);
        }
        if (chunk.usage) {
          const seconds = (performance.now() - started - (ttft ?? 0)) / 1000;
          const p = prices[settings.model];
          setMetrics({
            ttftMs: ttft === null ? null : Math.round(ttft),
            tokensPerSecond: seconds > 0 ? chunk.usage.completion_tokens / seconds : null,
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
            cost: p ? (chunk.usage.prompt_tokens * p.inputPrice + chunk.usage.completion_tokens * p.outputPrice) / 1e6 : null,
            model: chunk.model ?? settings.model,
          });
        }
      }
    } catch (err) {
      if (controller.signal.aborted) return; // stopped on purpose: keep what arrived
      setError((err as Error).message);
      if (!text && !calls.length) setMessages(history);
    } finally {
      setStreaming(false);
      abort.current = null;
    }
  }

  return {
    messages,
    setMessages,
    streaming,
    error,
    metrics,
    send,
    stop: () => abort.current?.abort(),
    reset: () => {
      abort.current?.abort();
      setMessages([]);
      setMetrics(undefined);
      setError(undefined);
    },
  };
}
