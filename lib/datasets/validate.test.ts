import { describe, expect, it } from "vitest";
import { validateDataset } from "./validate";

const sample = (question: string, answer: string) => JSON.stringify({ messages: [{ role: "user", content: question }, { role: "assistant", content: answer }] });
// A counter whose results are easy to add up by hand: one token per word.
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe("validateDataset", () => {
  it("reports an error on line 7 as line 7, counting blank lines", () => {
    const rows = [sample("a", "b"), "", sample("c", "d"), "", "", sample("e", "f"), JSON.stringify({ messages: [{ role: "user", content: "g" }] }), sample("h", "i")];
    const report = validateDataset(rows.join("\n"));
    expect(report.lines).toBe(5);
    expect(report.validLines).toBe(4);
    expect(report.errors).toEqual([{ line: 7, field: "messages", reason: "must contain at least one assistant message to learn from" }]);
  });

  it("reports malformed JSON with its line number and the parser's reason", () => {
    const report = validateDataset([sample("a", "b"), '{"messages": [', sample("c", "d")].join("\n"));
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ line: 2, field: null });
    expect(report.errors[0]!.reason).toMatch(/^invalid JSON: .+/);
    expect(report.validLines).toBe(2);
  });

  it("accepts a UTF-8 BOM and CRLF line ends", () => {
    const report = validateDataset(`\uFEFF${sample("a", "b")}\r\n\r\n${sample("c", "d")}\r\n`);
    expect(report).toMatchObject({ lines: 2, validLines: 2, errors: [], sampleType: "instruct" });
  });

  it("finds duplicates after normalising key order and whitespace", () => {
    const reordered = '{"messages":[{"content":"a","role":"user"},  {"content":"b","role":"assistant"}]}';
    const report = validateDataset([sample("a", "b"), sample("x", "y"), reordered, sample("x", "y")].join("\n"));
    expect(report.duplicates).toEqual([
      { line: 3, sameAs: 1 },
      { line: 4, sameAs: 2 },
    ]);
    expect(report.validLines).toBe(4); // duplicates are a warning, still trainable
  });

  it("adds up tokens with the given counter: content, 3 per message, tool calls and tools as JSON", () => {
    const withTools = {
      tools: [{ type: "function", function: { name: "f" } }],
      messages: [
        { role: "user", content: [{ type: "text", text: "one two" }, { type: "text", text: "three" }] },
        { role: "assistant", tool_calls: [{ id: "a1", function: { name: "f", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "a1", content: "four" },
        { role: "assistant", content: "five six" },
      ],
    };
    const counted: string[] = [];
    const counter = (text: string) => (counted.push(text), words(text));
    const report = validateDataset([sample("how are you", "fine thanks"), JSON.stringify(withTools)].join("\n"), { countTokens: counter });
    // Line 1: 3 + 2 words + 2 × 3 overhead. Line 2: 3 + 1 (tool_calls JSON is one "word") + 1 + 2 + 1 (tools JSON) + 4 × 3.
    expect(report.tokensPerLine).toEqual([11, 20]);
    expect(report.totalTokens).toBe(31);
    expect(counted).toContain(JSON.stringify(withTools.tools));
    expect(counted).toContain(JSON.stringify(withTools.messages[1]!.tool_calls));
  });

  it("estimates about 4 characters a token when no counter is given", () => {
    const report = validateDataset(sample("12345", "1234"));
    expect(report.tokensPerLine).toEqual([Math.ceil(5 / 4) + 1 + 2 * 3]);
  });

  it("keeps maxErrors errors and counts the rest", () => {
    const rows = Array.from({ length: 5 }, () => "not json");
    const report = validateDataset(rows.join("\n"), { maxErrors: 2 });
    expect(report.errors.map((error) => error.line)).toEqual([1, 2]);
    expect(report.truncatedErrors).toBe(3);
    expect(report.validLines).toBe(0);
  });

  it("rejects a file with no data lines", () => {
    expect(validateDataset("\n  \n").errors).toEqual([{ line: 1, field: null, reason: "the file has no data lines: expected one JSON object per line" }]);
  });

  it("lists every issue of a bad line under that line", () => {
    const report = validateDataset(JSON.stringify({ messages: [{ role: "user", content: 1 }, { role: "assistant", content: "ok", weight: 2 }] }));
    expect(report.errors).toEqual([
      { line: 1, field: "messages[0].content", reason: "must be a string or a list of text chunks" },
      { line: 1, field: "messages[1].weight", reason: "must be 0 or 1" },
    ]);
    expect(report.tokensPerLine).toEqual([]);
  });
});
