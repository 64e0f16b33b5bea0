import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildVocabulary, encode, PAD, pairsAt, readConversationText, sampleBatch } from "./dataset";
import { temporaryDir } from "./fixtures";
import { createRng } from "./rng";
import { MESSAGE_END, MESSAGE_START, renderPrompt } from "./transcript";

async function jsonl(lines: string[]): Promise<string> {
  const file = path.join(await temporaryDir(), "data.jsonl");
  await writeFile(file, lines.join("\n"));
  return file;
}

describe("reference trainer dataset", () => {
  it("renders every message with role markers, text chunks and tool calls included", async () => {
    const file = await jsonl([
      JSON.stringify({ messages: [{ role: "user", content: [{ type: "text", text: "Hi" }, { type: "image_url", image_url: "x" }] }, { role: "assistant", content: "Hello" }] }),
      "",
      JSON.stringify({ messages: [{ role: "assistant", content: null, tool_calls: [{ id: "a", function: { name: "f", arguments: "{}" } }] }] }),
    ]);
    const text = await readConversationText(file);
    expect(text).toBe(
      `${MESSAGE_START}user\nHi${MESSAGE_END}${MESSAGE_START}assistant\nHello${MESSAGE_END}` +
        `${MESSAGE_START}assistant\n[{"id":"a","function":{"name":"f","arguments":"{}"}}]${MESSAGE_END}`,
    );
    expect(renderPrompt([{ role: "user", content: "Hi" }])).toBe(`${MESSAGE_START}user\nHi${MESSAGE_END}${MESSAGE_START}assistant\n`);
  });

  it("names the file and line of a line that is not a conversation", async () => {
    const good = JSON.stringify({ messages: [{ role: "user", content: "ok" }] });
    await expect(readConversationText(await jsonl([good, "{not json"]))).rejects.toThrow(/data\.jsonl:2: not JSON/);
    await expect(readConversationText(await jsonl([good, good, JSON.stringify({ messages: [{ role: "robot", content: "x" }] })]))).rejects.toThrow(/:3: not a conversation/);
    await expect(readConversationText("/nonexistent/file.jsonl")).rejects.toThrow(/cannot read/);
  });

  it("builds the same vocabulary from the same text, PAD first, unknown characters mapping to PAD", () => {
    const vocabulary = buildVocabulary(["banana", "cab"]);
    expect(vocabulary).toEqual(["", "a", "b", "c", "n"]);
    expect(Array.from(encode("cabz", vocabulary))).toEqual([3, 1, 2, PAD]);
  });

  it("pairs each character with the characters before it, padded at the start", () => {
    const batch = pairsAt(Int32Array.from([1, 2, 3, 4]), 0, 3, 2);
    expect(Array.from(batch.targets)).toEqual([1, 2, 3]);
    expect(Array.from(batch.contexts)).toEqual([PAD, PAD, PAD, 1, 1, 2]);
  });

  it("samples files by weight, never one weighted zero, the same way from the same seed", () => {
    const sources = [
      { ids: new Int32Array(100).fill(1), weight: 1 },
      { ids: new Int32Array(100).fill(2), weight: 0 },
      { ids: new Int32Array(100).fill(3), weight: 3 },
    ];
    const batch = sampleBatch(sources, 40_000, 2, createRng(9));
    const count = (id: number) => batch.targets.filter((t) => t === id).length;
    expect(batch.size).toBe(40_000);
    expect(count(2)).toBe(0);
    expect(count(3) / count(1)).toBeGreaterThan(2.5);
    expect(count(3) / count(1)).toBeLessThan(3.6);
    expect(sampleBatch(sources, 64, 2, createRng(9)).targets).toEqual(sampleBatch(sources, 64, 2, createRng(9)).targets);
  });
});
