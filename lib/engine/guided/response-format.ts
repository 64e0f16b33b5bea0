// response_format on the local engine: json_object and json_schema become a grammar that the
// sampler follows token by token (json-schema-grammar.ts), and every finished answer is checked
// once more with ajv before it counts: a grammar bug can then only show up as a clear error,
// never as invalid JSON handed back.
import { Ajv, type ValidateFunction } from "ajv";
import { BoraError } from "@/lib/errors";
import { compileJsonGrammar } from "./json-schema-grammar";

export type Guided = {
  /** GBNF whose every sentence validates; its longest fits max_tokens. */
  grammar: string;
  /** Null when the answer validates, or what is wrong with it. */
  check: (text: string) => string | null;
};

const ajv = new Ajv({ strict: false, allErrors: false });
const validators = new Map<string, ValidateFunction>();
const grammars = new Map<string, string>();
const cacheSize = 256;

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

/** The grammar and final check for a request's response_format, or undefined for plain text. */
export function guidedFor(responseFormat: unknown, maxTokens: number): Guided | undefined {
  const rf = responseFormat as { type?: string; json_schema?: { schema?: unknown } } | undefined;
  if (!rf || rf.type === undefined || rf.type === "text") return undefined;
  // A token is at least one byte, and the end of the answer takes one more.
  const budget = maxTokens - 1;
  if (rf.type === "json_object") {
    const grammar = remember(grammars, `object:${budget}`, () => compileJsonGrammar(undefined, budget).grammar);
    return { grammar, check: (text) => parsed(text, (v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? null : "the answer is not a JSON object")) };
  }
  if (rf.type !== "json_schema") throw new BoraError("bad_request:response_format", `response_format type "${rf.type}" is not one of text, json_object, json_schema.`, { param: "response_format.type" });
  const schema = rf.json_schema?.schema;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) throw new BoraError("bad_request:response_format", "response_format.json_schema.schema must be a JSON Schema object.", { param: "response_format.json_schema.schema" });
  const key = JSON.stringify(schema);
  // The grammar first: it names every keyword outside the subset.
  const grammar = remember(grammars, `${budget}:${key}`, () => compileJsonGrammar(schema as Record<string, unknown>, budget).grammar);
  const validate = remember(validators, key, () => {
    try {
      return ajv.compile(schema);
    } catch (err) {
      throw new BoraError("bad_request:response_format", `response_format.json_schema.schema is not a valid JSON Schema: ${(err as Error).message}`, { param: "response_format.json_schema.schema" });
    }
  });
  return { grammar, check: (text) => parsed(text, (v) => (validate(v) ? null : ajv.errorsText(validate.errors))) };
}

function parsed(text: string, check: (value: unknown) => string | null): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `the answer is not JSON (${(err as Error).message})`;
  }
  return check(value);
}
