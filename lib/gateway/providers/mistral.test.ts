import { describe, expect, it } from "vitest";
import { mistralAdapter } from "./mistral";

describe("mistral adapter", () => {
  it("sends the client's bytes with only the model swapped", () => {
    const text = '{"model":"small","messages":[{"role":"user","content":"say \\"model\\":\\"small\\""}],"stream":true}';
    const req = mistralAdapter.request("chat", JSON.parse(text), "mistral-small-latest", text);
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.text).toBe(text.replace('"model":"small"', '"model":"mistral-small-latest"'));
    expect(JSON.parse(req.text!)).toEqual({ ...JSON.parse(text), model: "mistral-small-latest" });
  });

  it("falls back to serialising when the model cannot be found exactly once", () => {
    const spaced = '{"model": "small", "messages": []}';
    expect(mistralAdapter.request("chat", JSON.parse(spaced), "up", spaced).text).toBeUndefined();
    expect(mistralAdapter.request("fim", { model: "small", prompt: "x" }, "up").body).toEqual({ model: "up", prompt: "x" });
    expect(mistralAdapter.request("fim", { model: "small", prompt: "x" }, "up").path).toBe("/v1/fim/completions");
  });
});
