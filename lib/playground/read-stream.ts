// Reads the gateway's SSE answer in the browser: yields each chunk as it arrives, throws on an
// error event (an upstream that died mid-stream), stops at [DONE].
import { sseData } from "@/lib/gateway/sse";

export type StreamChunk = {
  choices?: { delta?: { content?: string | null; tool_calls?: unknown[] }; finish_reason?: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  model?: string;
};

// Not every browser can iterate a ReadableStream with for-await yet: read it by hand.
async function* decoded(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    yield decoder.decode(value, { stream: true });
  }
}

export async function* readChatStream(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamChunk> {
  for await (const data of sseData(decoded(body))) {
    if (data === "[DONE]") return;
    const chunk = JSON.parse(data) as StreamChunk & { object?: string; message?: string };
    if (chunk.object === "error") throw new Error(chunk.message ?? "The stream failed.");
    yield chunk;
  }
}
