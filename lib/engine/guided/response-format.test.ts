// response_format → grammar and final check: what is refused up front, and what the check says.
import { describe, expect, it } from "vitest";
import { isBoraError } from "@/lib/errors";
import { guidedFor } from "./response-format";

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return isBoraError(err) ? err.status : undefined;
  }
  return 200;
}

describe("guidedFor", () => {
  it("leaves plain text alone", () => {
    expect(guidedFor(undefined, 100)).toBeUndefined();
    expect(guidedFor({ type: "text" }, 100)).toBeUndefined();
  });

  it("checks a json_object answer is one JSON object", () => {
    const g = guidedFor({ type: "json_object" }, 100)!;
    expect(g.check('{"a":1}')).toBeNull();
    expect(g.check("[1]")).toMatch(/not a JSON object/);
    expect(g.check('{"a":')).toMatch(/not JSON/);
  });

  it("checks a json_schema answer with ajv and says what is wrong", () => {
    const g = guidedFor({ type: "json_schema", json_schema: { name: "n", schema: { type: "object", properties: { n: { type: "integer", maximum: 3 } }, required: ["n"] } } }, 100)!;
    expect(g.check('{"n":3}')).toBeNull();
    expect(g.check('{"n":4}')).toMatch(/must be <= 3/);
    expect(g.check('{"n":1.5}')).toMatch(/must be integer/);
  });

  it("refuses with 400 an unknown type, a missing schema, an invalid schema and unsupported keywords", () => {
    expect(status(() => guidedFor({ type: "xml" }, 100))).toBe(400);
    expect(status(() => guidedFor({ type: "json_schema", json_schema: { name: "n" } }, 100))).toBe(400);
    expect(status(() => guidedFor({ type: "json_schema", json_schema: { name: "n", schema: { type: "integer", minimum: "zero" } } }, 100))).toBe(400);
    expect(status(() => guidedFor({ type: "json_schema", json_schema: { name: "n", schema: { type: "string", format: "date" } } }, 100))).toBe(400);
  });
});
