import { describe, expect, it } from "vitest";
import { checkAnswer, checkSchema } from "./structured";

describe("structured output checks", () => {
  it("says why a schema is not usable", () => {
    expect(checkSchema("{")).toMatchObject({ ok: false, error: expect.stringMatching(/^Not JSON/) });
    expect(checkSchema("[]")).toMatchObject({ ok: false, error: "A JSON Schema is an object." });
    expect(checkSchema('{"type": "nope"}')).toMatchObject({ ok: false, error: expect.stringMatching(/Not a valid JSON Schema/) });
  });

  it("passes answers that fit and fails the rest with the reason", () => {
    const s = checkSchema('{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}');
    if (!s.ok) throw new Error("schema");
    expect(checkAnswer('{"n": 3}', s.validate)).toMatchObject({ ok: true, reason: "Matches the schema." });
    expect(checkAnswer('{"n": "three"}', s.validate)).toMatchObject({ ok: false, reason: expect.stringMatching(/\/n must be integer/) });
    expect(checkAnswer("not json", s.validate)).toMatchObject({ ok: false, reason: "The answer is not valid JSON." });
  });
});

describe("tool definitions", () => {
  it("accepts an empty editor and well-formed tools, and says what is wrong otherwise", async () => {
    const { checkTools, exampleTools } = await import("./structured");
    expect(checkTools("")).toBeUndefined();
    expect(checkTools(exampleTools)).toBeUndefined();
    expect(checkTools("{}")).toBe("Tools are a JSON array.");
    expect(checkTools('[{"type":"function","function":{"name":"has space"}}]')).toMatch(/Tool 1: needs function.name/);
    expect(checkTools('[{"type":"function","function":{"name":"f","parameters":{"type":"bogus"}}}]')).toMatch(/not a valid JSON Schema/);
  });
});
