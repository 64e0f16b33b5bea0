"use client";
// The playground's conversation: sends it to /api/playground/chat, streams the answer in as it
// arrives, and measures what the person sees: time to first token, tokens per second, cost.
import { useRef, useState } from "react";
import { readChatStream } from "@/lib/playground/read-stream";

export type Message = { role: "user" | "assistant"; content: string; images?: string[] };

// Images travel as image_url chunks after the text, as the API expects them.
export function wireMessage(m: Message) {
  return m.images?.length ? { role: m.role, content: [{ type: "text", text: m.content }, ...m.images.map((url) => ({ type: "image_url", image_url: url }))] } : { role: m.role, content: m.content };
}
export type Settings = { model: string; system: string; temperature: number; topP: number; maxTokens: string; seed: string; format: "text" | "json_object" | "json_schema"; schema: string };

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

export function useChat(workspace: string, prices: Prices) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [streaming, setStreaming] = useState(false);
  const [error, setError] = useState<string>();
  const [metrics, setMetrics] = useState<Metrics>();
  const abort = useRef<AbortController | null>(null);

  async function send(history: Message[], settings: Settings) {
    setError(undefined);
    setMetrics(undefined);
    setMessages([...history, { role: "assistant", content: "" }]);
    setStreaming(true);
    const controller = new AbortController();
    abort.current = controller;
    const started = performance.now();
    let ttft: number | null = null;
    let text = "";
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
          messages: [...(settings.system.trim() ? [{ role: "system", content: settings.system }] : []), ...history.map(wireMessage)],
        }),
      });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        throw new Error(body.message ?? `The request failed (${res.status}).`);
      }
      for await (const chunk of readChatStream(res.body)) {
        const piece = chunk.choices?.[0]?.delta?.content ?? "";
        if (piece) {
          ttft ??= performance.now() - started;
          text += piece;
          setMessages([...history, { role: "assistant", content: text }]);
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
      if (!text) setMessages(history);
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
