// JSON Schema → GBNF for guided decoding on the local engine: the grammar admits only JSON that
// validates, compact (no whitespace), and every part of it has a bounded length so that a
// bounded max_tokens still closes the document (a token is at least one byte: a grammar whose
// longest sentence fits in max_tokens - 1 bytes always ends in time). Unbounded parts (strings
// without maxLength, arrays without maxItems, wide number ranges, free-form JSON) get caps, tried
// from generous to tight until the longest answer fits. Keywords outside the subset are refused
// by name (unsupportedKeywords), never ignored, unless ignoring them cannot break validity.
import { Ajv } from "ajv";
import { BoraError } from "@/lib/errors";
import { decimalPlaces, scaleBound, scaledRange } from "./digits";
import { charSet, patternGrammar } from "./pattern";

type Schema = Record<string, unknown>;
type Piece = { g: string; min: number; max: number };
type Caps = { str: number; arr: number; digits: number; frac: number; depth: number };

// From generous to tight: the first whose longest answer fits the budget wins.
const ladder: Caps[] = [
  { str: 48, arr: 8, digits: 12, frac: 3, depth: 3 },
  { str: 24, arr: 5, digits: 9, frac: 2, depth: 2 },
  { str: 12, arr: 3, digits: 6, frac: 2, depth: 2 },
  { str: 6, arr: 2, digits: 4, frac: 1, depth: 1 },
  { str: 3, arr: 1, digits: 2, frac: 1, depth: 1 },
  { str: 0, arr: 0, digits: 1, frac: 0, depth: 0 },
];

export const supportedKeywords = ["type", "enum", "const", "properties", "required", "items", "minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "anyOf", "$ref", "$defs", "definitions", "additionalProperties"];
// Safe to ignore: annotations, and keywords about properties we never write (only declared
// properties are written, so additionalProperties / unevaluatedProperties always hold).
export const ignoredKeywords = ["title", "description", "$schema", "$id", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly", "unevaluatedProperties"];
const known = new Set([...supportedKeywords, ...ignoredKeywords]);
// The largest integer a double holds exactly: integers beyond are never written.
const safe = BigInt(Number.MAX_SAFE_INTEGER);

function bad(message: string): never {
  throw new BoraError("bad_request:response_format", message, { param: "response_format" });
}

/** Keywords outside the subset, with where they are ("/properties/a: format"). An
 * additionalProperties schema is not looked into: no undeclared property is ever written. */
export function unsupportedKeywords(schema: unknown, at = ""): string[] {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(schema)) {
    if (!known.has(k)) out.push(`${at || "/"}: ${k}`);
    else if (k === "properties" || k === "$defs" || k === "definitions") for (const [name, sub] of Object.entries((v as Schema) ?? {})) out.push(...unsupportedKeywords(sub, `${at}/${k}/${name}`));
    else if (k === "items") out.push(...unsupportedKeywords(v, `${at}/items`));
    else if (k === "anyOf" && Array.isArray(v)) v.forEach((sub, i) => out.push(...unsupportedKeywords(sub, `${at}/anyOf/${i}`)));
  }
  return out;
}

class Builder {
  private readonly rules = new Map<string, string>(); // body → name
  private readonly stack: string[] = [];
  private readonly enumCheck = new Ajv({ strict: false });

  constructor(
    private readonly root: Schema,
    private readonly caps: Caps,
  ) {}

  rule(hint: string, body: string): string {
    const existing = this.rules.get(body);
    if (existing) return existing;
    const name = `${hint.replace(/[^a-zA-Z0-9]/g, "") || "r"}-${this.rules.size}`;
    this.rules.set(body, name);
    return name;
  }

  grammar(root: Piece): string {
    return [`root ::= ${root.g}`, ...[...this.rules].map(([body, name]) => `${name} ::= ${body}`)].join("\n");
  }

  resolve(ref: string): Schema {
    const m = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
    const target = m ? ((this.root[m[1]!] as Record<string, Schema> | undefined) ?? {})[decodeURIComponent(m[2]!).replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    if (!target) bad(`The local engine resolves only local $ref to #/$defs/… or #/definitions/…; "${ref}" is not one.`);
    return target;
  }

  value(schema: unknown, path: string): Piece {
    if (schema === true || (typeof schema === "object" && schema !== null && Object.keys(schema).every((k) => ignoredKeywords.includes(k)))) return this.any(this.caps.depth);
    if (schema === false) bad(`The schema at ${path || "/"} is false: nothing validates against it.`);
    const s = schema as Schema;
    if (typeof s.$ref === "string") {
      if (this.stack.includes(s.$ref)) bad(`The local engine cannot bound a recursive schema ($ref "${s.$ref}" refers to itself).`);
      const others = Object.keys(s).filter((k) => !["$ref", "$defs", "definitions"].includes(k) && !ignoredKeywords.includes(k));
      if (others.length) bad(`At ${path || "/"}, $ref beside other keywords (${others.join(", ")}) is not supported by the local engine.`);
      this.stack.push(s.$ref);
      try {
        return this.value(this.resolve(s.$ref), path);
      } finally {
        this.stack.pop();
      }
    }
    if ("const" in s || Array.isArray(s.enum)) return this.literals(s, path);
    if (Array.isArray(s.anyOf)) {
      const { anyOf, ...rest } = s;
      if (!anyOf.length) bad(`At ${path || "/"}, anyOf is empty: nothing validates against it.`);
      const branches = (anyOf as unknown[]).map((b, i) => this.value(this.branch(rest, b, `${path}/anyOf/${i}`), `${path}/anyOf/${i}`));
      return this.alternatives("any-of", branches);
    }
    const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : this.inferTypes(s);
    if (!types.length) bad(`At ${path || "/"}, type is an empty list: nothing validates against it.`);
    return this.alternatives("types", types.map((t) => this.typed(t, s, path)));
  }

  /** An anyOf branch with its parent's keywords: both must hold, so a keyword in both with different values is refused (but required, which adds up). */
  branch(parent: Schema, branch: unknown, path: string): unknown {
    if (typeof branch !== "object" || branch === null) return branch;
    const b = branch as Schema;
    const clash = Object.keys(b).filter((k) => k in parent && k !== "required" && !ignoredKeywords.includes(k) && JSON.stringify(parent[k]) !== JSON.stringify(b[k]));
    if (clash.length) bad(`At ${path}, the local engine cannot combine ${clash.join(", ")} in both an anyOf branch and its parent schema.`);
    const required = [...new Set([...((parent.required as string[]) ?? []), ...((b.required as string[]) ?? [])])];
    return { ...parent, ...b, ...(required.length ? { required } : {}) };
  }

  inferTypes(s: Schema): string[] {
    const types: string[] = [];
    if ("properties" in s || "required" in s || "additionalProperties" in s) types.push("object");
    if ("items" in s || "minItems" in s || "maxItems" in s) types.push("array");
    if ("minLength" in s || "maxLength" in s || "pattern" in s) types.push("string");
    if (["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"].some((k) => k in s)) types.push("number");
    return types.length ? types : ["object", "array", "string", "number", "boolean", "null"];
  }

  alternatives(hint: string, pieces: Piece[]): Piece {
    if (pieces.length === 1) return pieces[0]!;
    return { g: this.rule(hint, pieces.map((p) => p.g).join(" | ")), min: Math.min(...pieces.map((p) => p.min)), max: Math.max(...pieces.map((p) => p.max)) };
  }

  literals(s: Schema, path: string): Piece {
    const values = "const" in s ? [s.const] : (s.enum as unknown[]);
    const { enum: _e, const: _c, ...rest } = s;
    const check = Object.keys(rest).some((k) => !ignoredKeywords.includes(k)) ? this.enumCheck.compile({ ...rest, ...(this.root.$defs ? { $defs: this.root.$defs } : {}), ...(this.root.definitions ? { definitions: this.root.definitions } : {}) }) : () => true;
    const texts = values.filter((v) => check(v)).map((v) => JSON.stringify(v));
    if (!texts.length) bad(`At ${path || "/"}, no value of enum/const also satisfies the schema's other keywords.`);
    const bytes = texts.map((t) => Buffer.byteLength(t));
    return { g: `(${texts.map((t) => JSON.stringify(t)).join(" | ")})`, min: Math.min(...bytes), max: Math.max(...bytes) };
  }

  typed(type: string, s: Schema, path: string): Piece {
    switch (type) {
      case "null":
        return { g: '"null"', min: 4, max: 4 };
      case "boolean":
        return { g: '("true" | "false")', min: 4, max: 5 };
      case "integer":
        return this.integer(s, path);
      case "number":
        return this.number(s, path);
      case "string":
        return this.string(s, path);
      case "array":
        return this.array(s, path);
      case "object":
        return this.object(s, path);
      default:
        return bad(`At ${path || "/"}, "${type}" is not a JSON Schema type.`);
    }
  }

  bounds(s: Schema, path: string): { lo?: number; hi?: number; exLo?: number; exHi?: number } {
    const num = (k: string) => {
      const v = s[k];
      if (v === undefined) return undefined;
      if (typeof v !== "number" || !Number.isFinite(v)) bad(`At ${path || "/"}, ${k} must be a number (draft 2020-12 form).`);
      return v;
    };
    return { lo: num("minimum"), hi: num("maximum"), exLo: num("exclusiveMinimum"), exHi: num("exclusiveMaximum") };
  }

  /** The scaled range [lo, hi] of N = x × 10^k, from the schema's bounds and the caps. */
  scaled(s: Schema, path: string, k: number, what: string, limit: bigint): [bigint, bigint] {
    const b = this.bounds(s, path);
    let lo = -limit;
    let hi = limit;
    const raise = (v: bigint) => (lo = v > lo ? v : lo);
    const lower = (v: bigint) => (hi = v < hi ? v : hi);
    if (b.lo !== undefined) raise(scaleBound(b.lo, k, "ceil"));
    if (b.exLo !== undefined) raise(scaleBound(b.exLo, k, "floor") + 1n);
    if (b.hi !== undefined) lower(scaleBound(b.hi, k, "floor"));
    if (b.exHi !== undefined) lower(scaleBound(b.exHi, k, "ceil") - 1n);
    if (lo > hi) bad(`At ${path || "/"}, no ${what} can be written exactly in the range the schema allows (${what === "integer" ? "integers stay within ±(2^53 - 1)" : "numbers keep at most 15 significant digits"}).`);
    // The digits cap narrows a wide range toward zero.
    const cap = 10n ** BigInt(this.caps.digits + k) - 1n;
    const [clo, chi] = [lo > -cap ? lo : -cap, hi < cap ? hi : cap];
    // A range wholly beyond the cap keeps its own (already bounded) digits.
    return clo <= chi ? [clo, chi] : [lo, hi];
  }

  integer(s: Schema, path: string): Piece {
    const [lo, hi] = this.scaled(s, path, 0, "integer", safe);
    const p = scaledRange(lo, hi, 0);
    return { g: this.rule("int", p.g), min: p.min, max: p.max };
  }

  number(s: Schema, path: string): Piece {
    const b = this.bounds(s, path);
    const needed = Math.max(0, ...[b.lo, b.hi, b.exLo, b.exHi].filter((v): v is number => v !== undefined).map(decimalPlaces));
    const k = Math.min(14, Math.max(needed, this.caps.frac));
    // At most 15 significant digits: then the decimal written and the double read back compare
    // with the bounds the same way.
    const [lo, hi] = this.scaled(s, path, k, "number", 10n ** 15n - 1n);
    const p = scaledRange(lo, hi, k);
    return { g: this.rule("num", p.g), min: p.min, max: p.max };
  }

  string(s: Schema, path: string): Piece {
    const minLength = typeof s.minLength === "number" ? s.minLength : 0;
    const maxLength = typeof s.maxLength === "number" ? s.maxLength : Infinity;
    if (minLength > maxLength) bad(`At ${path || "/"}, minLength is above maxLength.`);
    if (typeof s.pattern === "string") {
      // Tighter caps on * + {n,} until the pattern's lengths fit maxLength, if they can.
      let cap = Math.min(this.caps.str, maxLength);
      let p = patternGrammar(s.pattern, cap);
      while (p.maxChars > maxLength && cap > 0) p = patternGrammar(s.pattern, (cap = Math.floor(cap / 2)));
      if (p.minChars < minLength || p.maxChars > maxLength) bad(`At ${path || "/"}, the pattern ${JSON.stringify(s.pattern)} allows ${p.minChars}–${p.maxChars} characters, outside minLength/maxLength ${minLength}–${maxLength}: the local engine enforces a pattern with length limits only when the pattern's own lengths fit them.`);
      return { g: this.rule("pattern", `"\\"" ${p.g || ""} "\\""`), min: p.minBytes + 2, max: p.maxBytes + 2 };
    }
    const max = Math.max(minLength, Math.min(maxLength, this.caps.str));
    const char = charSet([[0, 0x10ffff]], false)!; // every character that can be written, escaped where JSON needs it
    const charRule = this.rule("char", char.g);
    if (max === 0) return { g: '"\\"\\""', min: 2, max: 2 };
    return { g: this.rule("string", `"\\"" ${charRule}{${minLength},${max}} "\\""`), min: 2 + minLength * char.minBytes, max: 2 + max * char.maxBytes };
  }

  array(s: Schema, path: string): Piece {
    if (Array.isArray(s.items)) bad(`At ${path || "/"}, items as a list (tuples) is not supported by the local engine.`);
    const minItems = typeof s.minItems === "number" ? s.minItems : 0;
    const maxItems = typeof s.maxItems === "number" ? s.maxItems : Infinity;
    if (minItems > maxItems) bad(`At ${path || "/"}, minItems is above maxItems.`);
    const max = Math.max(minItems, Math.min(maxItems, this.caps.arr));
    if (max === 0) return { g: '"[]"', min: 2, max: 2 };
    const item = this.value(s.items ?? true, `${path}/items`);
    const ref = this.rule("item", item.g);
    const body = minItems === 0 ? `"[" (${ref} ("," ${ref}){0,${max - 1}})? "]"` : `"[" ${ref} ("," ${ref}){${minItems - 1},${max - 1}} "]"`;
    return { g: this.rule("array", body), min: 2 + minItems * item.min + Math.max(0, minItems - 1), max: 2 + max * item.max + (max - 1) };
  }

  object(s: Schema, path: string): Piece {
    const props = Object.entries((s.properties as Record<string, unknown>) ?? {});
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    for (const r of required) if (!props.some(([name]) => name === r)) bad(`At ${path || "/"}, the required property "${r}" has no schema under properties: the local engine writes declared properties only.`);
    if (!props.length && s.additionalProperties === undefined && !("properties" in s)) return this.anyObject(this.caps.depth);
    // after[i][first]: properties i… given whether one came before (for the comma).
    let after: [Piece | null, Piece | null] = [null, null];
    for (let i = props.length - 1; i >= 0; i--) {
      const [name, sub] = props[i]!;
      const value = this.value(sub, `${path}/properties/${name}`);
      const key = JSON.stringify(JSON.stringify(name) + ":");
      const keyBytes = Buffer.byteLength(JSON.stringify(name)) + 1;
      const next = after;
      const make = (first: boolean): Piece => {
        const tail = next[0];
        const emit: Piece = { g: `${first ? "" : '"," '}${key} ${value.g}${tail ? ` ${tail.g}` : ""}`, min: (first ? 0 : 1) + keyBytes + value.min + (tail?.min ?? 0), max: (first ? 0 : 1) + keyBytes + value.max + (tail?.max ?? 0) };
        if (required.has(name)) return { ...emit, g: this.rule("props", emit.g) };
        const skip = next[first ? 1 : 0];
        if (!skip) return { g: `(${this.rule("props", emit.g)})?`, min: 0, max: emit.max };
        return { g: this.rule("props", `${emit.g} | ${skip.g}`), min: Math.min(emit.min, skip.min), max: Math.max(emit.max, skip.max) };
      };
      after = [make(false), make(true)];
    }
    const body = after[1];
    return { g: body ? `"{" ${body.g} "}"` : '"{}"', min: 2 + (body?.min ?? 0), max: 2 + (body?.max ?? 0) };
  }

  /** Any JSON value, nesting at most `depth` containers deep. */
  any(depth: number): Piece {
    const scalars: Piece[] = [{ g: '"null"', min: 4, max: 4 }, { g: '("true" | "false")', min: 4, max: 5 }, this.integer({}, ""), this.string({}, "")];
    if (depth > 0) scalars.push(this.anyObject(depth), this.anyArray(depth));
    return this.alternatives(`any${depth}`, scalars);
  }

  anyObject(depth: number): Piece {
    if (depth <= 0 || this.caps.arr === 0) return { g: '"{}"', min: 2, max: 2 };
    const key = this.string({}, "");
    const value = this.any(depth - 1);
    const member = this.rule("member", `${key.g} ":" ${value.g}`);
    const n = this.caps.arr;
    return { g: this.rule("object", `"{" (${member} ("," ${member}){0,${n - 1}})? "}"`), min: 2, max: 2 + n * (key.max + 1 + value.max) + (n - 1) };
  }

  anyArray(depth: number): Piece {
    const n = this.caps.arr;
    if (depth <= 0 || n === 0) return { g: '"[]"', min: 2, max: 2 };
    const item = this.any(depth - 1);
    const ref = this.rule("item", item.g);
    return { g: this.rule("array", `"[" (${ref} ("," ${ref}){0,${n - 1}})? "]"`), min: 2, max: 2 + n * item.max + (n - 1) };
  }
}

export type CompiledGrammar = { grammar: string; minBytes: number; maxBytes: number };

/** The GBNF for a schema (or free-form JSON object when schema is undefined) whose longest answer fits budgetBytes. */
export function compileJsonGrammar(schema: Schema | undefined, budgetBytes: number): CompiledGrammar {
  if (schema !== undefined) {
    const unknown = unsupportedKeywords(schema);
    if (unknown.length) bad(`The local engine cannot enforce these JSON Schema keywords: ${unknown.join("; ")}. Supported: ${supportedKeywords.join(", ")}; ignored as harmless: ${ignoredKeywords.join(", ")}.`);
  }
  let last: CompiledGrammar | undefined;
  for (const caps of ladder) {
    const b = new Builder(schema ?? {}, caps);
    const root = schema === undefined ? b.anyObject(caps.depth) : b.value(schema, "");
    last = { grammar: b.grammar(root), minBytes: root.min, maxBytes: root.max };
    if (last.maxBytes <= budgetBytes) return last;
  }
  return bad(`max_tokens is too small for this schema: its shortest-bounded answer can take ${last!.maxBytes + 1} tokens on the local engine (the minimum is ${last!.minBytes + 1}). Raise max_tokens to at least ${last!.maxBytes + 1}.`);
}
