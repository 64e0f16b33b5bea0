import { describe, expect, it } from "vitest";
import { curlSnippet, pythonSnippet, typescriptSnippet } from "./code-snippets";

const req = { model: "small", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "It's \"quoted\"" }], temperature: 0.3, max_tokens: 64 };

describe("code snippets", () => {
  it("curl sends the exact request, quoting safely for the shell", () => {
    const s = curlSnippet("http://bora:3000", req);
    expect(s).toContain("http://bora:3000/v1/chat/completions");
    expect(s).toContain('"Authorization: Bearer $BORA_API_KEY"');
    const body = s.slice(s.indexOf("-d '") + 4, -1).replace(/'\\''/g, "'");
    expect(JSON.parse(body)).toEqual(req);
  });

  it("TypeScript uses the SDK's camelCase names and the key from the environment", () => {
    const s = typescriptSnippet("http://bora:3000", req);
    expect(s).toContain('serverURL: "http://bora:3000"');
    expect(s).toContain('"maxTokens": 64');
    expect(s).not.toContain("max_tokens");
    expect(s).toContain("process.env.BORA_API_KEY");
  });

  it("Python passes keyword arguments", () => {
    const s = pythonSnippet("http://bora:3000", req);
    expect(s).toContain("temperature=0.3,");
    expect(s).toContain("max_tokens=64,");
    expect(s).toContain('os.environ["BORA_API_KEY"]');
  });
});
