import { describe, expect, it } from "vitest";
import { openAiCompatibleAdapter as oai } from "./openai-compatible";

describe("openai-compatible adapter", () => {
  it("translates Mistral-only chat fields", () => {
    const req = oai.request(
      "chat",
      {
        model: "small",
        random_seed: 7,
        safe_prompt: true,
        tool_choice: "any",
        stream: true,
        messages: [
          { role: "user", content: [{ type: "text", text: "x" }, { type: "image_url", image_url: "https://x/a.png" }] },
          { role: "assistant", content: "Sure", prefix: true },
        ],
      },
      "gpt-4o-mini",
    );
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.body).toEqual({
      model: "gpt-4o-mini",
      seed: 7,
      tool_choice: "required",
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: "user", content: [{ type: "text", text: "x" }, { type: "image_url", image_url: { url: "https://x/a.png" } }] },
        { role: "assistant", content: "Sure" },
      ],
    });
  });

  it("sends FIM to /v1/completions and maps the answer to chat shapes", () => {
    const req = oai.request("fim", { model: "code", prompt: "def f(", suffix: ")", min_tokens: 2 }, "qwen-coder");
    expect(req).toEqual({ path: "/v1/completions", body: { model: "qwen-coder", prompt: "def f(", suffix: ")" } });
    expect(oai.response("fim", { id: "x", choices: [{ index: 0, text: "a, b", finish_reason: "stop" }] })).toMatchObject({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "a, b" }, finish_reason: "stop" }],
    });
    expect(oai.chunk("fim", { choices: [{ index: 0, text: "a", finish_reason: null }] })).toMatchObject({ choices: [{ delta: { content: "a" } }] });
  });

  it("renames embedding options", () => {
    expect(oai.request("embeddings", { model: "e", input: ["a"], output_dimension: 8, output_dtype: "float" }, "text-embedding-3-small").body).toEqual({ model: "text-embedding-3-small", input: ["a"], dimensions: 8 });
  });
});
