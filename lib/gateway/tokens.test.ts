import { describe, expect, it } from "vitest";
import { ChatPrompt, TextPrompt } from "./prompt-tokens";
import { countTokens, estimateTokens } from "./tokens";

describe("prompt tokens", () => {
  it("estimates a quarter of the UTF-8 bytes, rounded up", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("Benchmark this gateway, please.")).toBe(8); // 31 bytes
    expect(estimateTokens("日本語のテキスト")).toBe(6); // 8 characters, 24 bytes
  });

  it("lands near the real count for English prose, the case limits see most", () => {
    const prose = "The quick brown fox jumps over the lazy dog while the gateway counts its tokens. ".repeat(50);
    const counted = countTokens("open-mistral-nemo", prose);
    expect(estimateTokens(prose) / counted).toBeGreaterThan(0.8);
    expect(estimateTokens(prose) / counted).toBeLessThan(1.5);
  });

  it("estimates and counts a chat the same way: control tokens per message, tool calls and tools", async () => {
    const messages = [
      { role: "system", content: "Answer briefly." },
      { role: "user", content: [{ type: "text", text: "What is in " }, { type: "image_url", image_url: "data:image/png;base64,AAAA" }, { type: "text", text: "this picture?" }] },
      { role: "assistant", content: "", tool_calls: [{ id: "c1", type: "function", function: { name: "look", arguments: "{}" } }] },
    ];
    const tools = [{ type: "function", function: { name: "look", parameters: {} } }];
    const prompt = new ChatPrompt("open-mistral-nemo", messages, tools);
    const texts = ["Answer briefly.", "What is in this picture?", JSON.stringify(messages[2]!.tool_calls), JSON.stringify(tools)];
    expect(await prompt.count()).toBe(1 + 3 * 3 + texts.reduce((n, t) => n + countTokens("open-mistral-nemo", t), 0));
    expect(prompt.estimate()).toBe(1 + 3 * 3 + texts.reduce((n, t) => n + estimateTokens(t), 0));
  });

  it("estimates and counts plain texts (FIM, embeddings)", async () => {
    const prompt = new TextPrompt("codestral-latest", ["def add(a, b):", "    return a + b"]);
    expect(prompt.estimate()).toBe(4 + 4);
    expect(await prompt.count()).toBe(countTokens("codestral-latest", "def add(a, b):") + countTokens("codestral-latest", "    return a + b"));
  });
});
