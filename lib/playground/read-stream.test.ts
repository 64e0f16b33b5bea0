import { describe, expect, it } from "vitest";
import { readChatStream } from "./read-stream";

function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(enc.encode(p));
      c.close();
    },
  });
}

describe("readChatStream", () => {
  it("yields chunks across arbitrary splits and stops at [DONE]", async () => {
    const out: string[] = [];
    for await (const c of readChatStream(streamOf(['data: {"choices":[{"delta":{"content":"Hel', 'lo"}}]}\n\ndata: {"choices":[{"delta":{"content":"!"}}]}\n\n', "data: [DONE]\n\n", 'data: {"never":1}\n\n'])))
      out.push(c.choices?.[0]?.delta?.content ?? "");
    expect(out).toEqual(["Hello", "!"]);
  });

  it("throws the error event's message", async () => {
    const gen = readChatStream(streamOf(['data: {"choices":[{"delta":{"content":"a"}}]}\n\n', 'data: {"object":"error","message":"upstream lost"}\n\n']));
    await expect(async () => {
      for await (const _ of gen) void _;
    }).rejects.toThrow("upstream lost");
  });
});
