import { describe, expect, it } from "vitest";
import { sseBatches, sseData } from "./sse";

async function collect(parts: string[]) {
  const out: string[] = [];
  for await (const d of sseData(parts)) out.push(d);
  return out;
}

describe("sseData", () => {
  it("yields each event's data, however the bytes are split", async () => {
    expect(await collect(['data: {"a"', ":1}\n\nda", "ta: [DONE]\n\n"])).toEqual(['{"a":1}', "[DONE]"]);
  });

  it("handles CRLF, comments and multi-line data", async () => {
    expect(await collect([": keep-alive\r\n\r\ndata: x\r\ndata: y\r\n\r\n"])).toEqual(["x\ny"]);
  });

  it("drops an unterminated trailing event", async () => {
    expect(await collect(["data: whole\n\ndata: cut"])).toEqual(["whole"]);
  });

  it("gives the events each read completes as one batch, and none for a read that completes none", async () => {
    const batches: string[][] = [];
    for await (const b of sseBatches(["data: 1\n\ndata: 2\n\ndata: 3", "\n\n", ": ping", "\n\ndata: [DONE]\n\n"])) batches.push(b);
    expect(batches).toEqual([["1", "2"], ["3"], ["[DONE]"]]);
  });
});
