// The converter's languages, checked exactly: each grammar becomes a RegExp (gbnf-regex.fixture)
// and candidate answers are matched against it and against ajv.
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { isBoraError } from "@/lib/errors";
import { gbnfToRegExp } from "./gbnf-regex.fixture";
import { compileJsonGrammar, unsupportedKeywords } from "./json-schema-grammar";

const ajv = new Ajv({ strict: false });

/** Every candidate the grammar accepts must validate; returns what it accepted. */
function accepted(schema: Record<string, unknown>, candidates: string[], budget = 255): string[] {
  const re = gbnfToRegExp(compileJsonGrammar(schema, budget).grammar);
  const validate = ajv.compile(schema);
  const ok = candidates.filter((c) => re.test(c));
  for (const c of ok) expect(validate(JSON.parse(c)), `${c} passed the grammar but not ajv`).toBe(true);
  return ok;
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isBoraError(err) && err.status === 400) return err.message;
    throw err;
  }
  throw new Error("no refusal");
}

describe("integers", () => {
  it("are written without exponent, fraction or leading zeros, and exactly within the bounds", () => {
    const schema = { type: "integer", minimum: -37, exclusiveMaximum: 250 };
    const all = Array.from({ length: 1000 }, (_, i) => String(i - 500));
    expect(accepted(schema, all)).toEqual(Array.from({ length: 287 }, (_, i) => String(i - 37)));
    expect(accepted(schema, ["1e2", "1.0", "10.", "007", "-0", "+5", "2.5e1"])).toEqual([]);
  });

  it("stay within ±(2^53 - 1) whatever the bounds say, and a range beyond it is a 400", () => {
    const re = gbnfToRegExp(compileJsonGrammar({ type: "integer", minimum: 1e15, maximum: 1e30 }, 255).grammar);
    expect(re.test("9007199254740991")).toBe(true);
    expect(re.test("9007199254740992")).toBe(false);
    expect(re.test("999999999999999")).toBe(false);
    expect(refusal(() => compileJsonGrammar({ type: "integer", minimum: 2 ** 60 }, 255))).toMatch(/2\^53/);
  });
});

describe("numbers", () => {
  it("keep exclusive and fractional bounds exactly", () => {
    const schema = { type: "number", exclusiveMinimum: -1.5, maximum: 2.25 };
    // Written with three decimals here (the caps' default for bounds with two).
    const grid = Array.from({ length: 5001 }, (_, i) => ((i - 2000) / 1000).toFixed(3));
    const ok = accepted(schema, grid);
    expect(ok[0]).toBe("-1.499");
    expect(ok.at(-1)).toBe("2.250");
    expect(ok).toHaveLength(3750);
    expect(accepted(schema, ["1e0", "-1.5", "-1.50", "2.26", "2.250001"])).toEqual([]);
  });

  it("find values in a narrow range between two decimals", () => {
    expect(accepted({ type: "number", exclusiveMinimum: 0.1, exclusiveMaximum: 0.3 }, ["0.100", "0.101", "0.2", "0.299", "0.300", "0.30"])).toEqual(["0.101", "0.299"]);
  });
});

describe("strings", () => {
  it("count length in code points, as JSON Schema does", () => {
    const schema = { type: "string", minLength: 2, maxLength: 3 };
    expect(accepted(schema, ['"ab"', '"😀😀"', '"é€😀"', '"\\n\\""', '"a"', '"😀😀😀😀"', '"abcd"'])).toEqual(['"ab"', '"😀😀"', '"é€😀"', '"\\n\\""']);
  });

  it("never write what JSON forbids, lone surrogates or \\u escapes", () => {
    expect(accepted({ type: "string", maxLength: 4 }, ['"a\tb"', '"a\\u0041"', '"\ud800"', '"a"b"', '"a\\\\"'])).toEqual(['"a\\\\"']);
  });

  it("follow patterns in the supported subset, anchored or not", () => {
    expect(accepted({ type: "string", pattern: "^[A-Z]{2}-\\d{3}$" }, ['"AB-123"', '"ab-123"', '"AB-12"', '"AB-1234"'])).toEqual(['"AB-123"']);
    // Unanchored, with the caps on "anything before or after" and on b+ tightened to fit maxLength.
    expect(accepted({ type: "string", pattern: "ab+c", maxLength: 8 }, ['"abc"', '"xabbcy"', '"ac"', '"xxxxxabc"'])).toEqual(['"abc"', '"xabbcy"']);
    expect(accepted({ type: "string", pattern: '^["\\\\]{2}$' }, ['"\\"\\\\"', '"\\"\\""', '"ab"'])).toEqual(['"\\"\\\\"', '"\\"\\""']);
    expect(refusal(() => compileJsonGrammar({ type: "string", pattern: "^(?=a)b$" }, 255))).toMatch(/lookaround/);
    expect(refusal(() => compileJsonGrammar({ type: "string", pattern: "(a)\\1" }, 255))).toMatch(/escape \\1/);
  });
});

describe("objects, arrays, enums", () => {
  it("write required properties always and optional ones in order, with nothing else", () => {
    const schema = { type: "object", properties: { a: { type: "integer", minimum: 0, maximum: 9 }, b: { type: "boolean" }, c: { const: "x" } }, required: ["c"] };
    expect(accepted(schema, ['{"c":"x"}', '{"a":1,"c":"x"}', '{"b":true,"c":"x"}', '{"a":1,"b":false,"c":"x"}', '{"c":"x","a":1}', '{"a":1}', '{"c":"x","d":1}', '{"c":"y"}'])).toEqual(['{"c":"x"}', '{"a":1,"c":"x"}', '{"b":true,"c":"x"}', '{"a":1,"b":false,"c":"x"}']);
  });

  it("keep minItems and maxItems", () => {
    const schema = { type: "array", items: { enum: ["a", "b"] }, minItems: 1, maxItems: 2 };
    expect(accepted(schema, ["[]", '["a"]', '["a","b"]', '["a","b","a"]', '["c"]'])).toEqual(['["a"]', '["a","b"]']);
  });

  it("take anyOf branches together with their parent's keywords", () => {
    const schema = { type: "object", properties: { a: { type: "integer", minimum: 0, maximum: 9 }, b: { type: "boolean" } }, required: ["a"], anyOf: [{ required: ["b"] }, { properties: { c: { const: 1 } }, required: ["c"] }] };
    expect(refusal(() => compileJsonGrammar(schema, 255))).toMatch(/cannot combine properties/);
    const ok = { type: "object", properties: { a: { type: "integer", minimum: 0, maximum: 9 }, b: { type: "boolean" } }, required: ["a"], anyOf: [{ required: ["b"] }, { type: "object" }] };
    expect(accepted(ok, ['{"a":1,"b":true}', '{"a":1}', '{"b":true}'])).toEqual(['{"a":1,"b":true}', '{"a":1}']);
  });

  it("keep only enum values that also satisfy the other keywords", () => {
    expect(accepted({ type: "string", enum: ["ok", 3, "toolong"], maxLength: 3 }, ['"ok"', "3", '"toolong"'])).toEqual(['"ok"']);
  });
});

describe("refusals", () => {
  it("name every keyword outside the subset, with its place", () => {
    const schema = { type: "object", properties: { a: { type: "string", format: "email" }, b: { type: "array", items: { type: "integer", multipleOf: 2 }, uniqueItems: true } }, minProperties: 1 };
    expect(unsupportedKeywords(schema).sort()).toEqual(["/: minProperties", "/properties/a: format", "/properties/b/items: multipleOf", "/properties/b: uniqueItems"]);
    expect(refusal(() => compileJsonGrammar(schema, 255))).toMatch(/cannot enforce these JSON Schema keywords: .*\/properties\/a: format/);
  });

  it("ask for a larger max_tokens when even the tightest bounds do not fit", () => {
    expect(refusal(() => compileJsonGrammar({ type: "string", minLength: 50 }, 60))).toMatch(/Raise max_tokens to at least \d+/);
  });

  it("fits a free-form answer into a small budget by tightening its caps", () => {
    for (const budget of [10, 40, 100, 255]) expect(compileJsonGrammar(undefined, budget).maxBytes).toBeLessThanOrEqual(budget);
  });

  it("refuse recursive schemas, which cannot be bounded", () => {
    const tree = { $defs: { node: { type: "object", properties: { child: { $ref: "#/$defs/node" } } } }, $ref: "#/$defs/node" };
    expect(refusal(() => compileJsonGrammar(tree, 255))).toMatch(/recursive/);
  });
});
