// Reads the gateway's SSE answer in the browser: yields each chunk as it arrives, throws on an
// error event (an upstream that died mid-stream), stops at [DONE].
export type StreamChunk = {
  choices?: { delta?: { content?: string | null; tool_calls?: unknown[] }; finish_reason?: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  model?: string;
};

export async function* readChatStream(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamChunk> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      if (!data) continue;
      if (data === "[DONE]") return;
      const chunk = JSON.parse(data) as StreamChunk & { object?: string; message?: string };
      if (chunk.object === "error") throw new Error(chunk.message ?? "The stream failed.");
      yield chunk;
    }
  }
}
