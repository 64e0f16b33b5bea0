// The subset of JSON Schema `pattern` (ECMAScript regex, unicode mode) that becomes GBNF:
// literals, escapes (\d \w \s \D \W \S \t \n \r \uXXXX and escaped punctuation), classes with
// ranges and negation, `.`, groups ((…) and (?:…)), alternation, and the quantifiers ? * + {n}
// {n,} {n,m} (lazy forms too). `^` and `$` only at the very start and end; an unanchored side
// gets any characters there, as JSON Schema's search semantics allow. Anything else (lookaround,
// backreferences, \b, \p{…}, named groups) is refused. Unbounded quantifiers are capped. The
// grammar emits the JSON text of the string: `"`, `\` and \t \n \r escaped; other control
// characters, DEL–U+009F and lone surrogates never come out (a subset, still a match).
import { BoraError } from "@/lib/errors";

type Node = { kind: "set"; ranges: [number, number][]; negate: boolean } | { kind: "seq"; items: Node[] } | { kind: "alt"; options: Node[] } | { kind: "rep"; node: Node; min: number; max: number | null };

export type PatternPiece = { g: string; minChars: number; maxChars: number; minBytes: number; maxBytes: number };

const digit: [number, number][] = [[0x30, 0x39]];
const word: [number, number][] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const space: [number, number][] = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x2028, 0x2029], [0xfeff, 0xfeff]];
const lineBreaks: [number, number][] = [[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]];

function refuse(pattern: string, what: string): never {
  throw new BoraError("bad_request:response_format", `The local engine cannot enforce the pattern ${JSON.stringify(pattern)}: ${what} is not in the supported subset (literals, classes, ., groups, |, ? * + {n,m}, ^ and $ at the ends).`, { param: "response_format" });
}

class Parser {
  i = 0;
  constructor(readonly src: string) {}
  peek() {
    return this.src[this.i];
  }
  alt(): Node {
    const options = [this.seq()];
    while (this.peek() === "|") {
      this.i++;
      options.push(this.seq());
    }
    return options.length === 1 ? options[0]! : { kind: "alt", options };
  }
  seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== "|" && this.peek() !== ")") {
      if ((this.peek() === "^" && this.i === 0) || (this.peek() === "$" && this.i === this.src.length - 1)) {
        this.i++;
        continue;
      }
      items.push(this.quantified(this.atom()));
    }
    return { kind: "seq", items };
  }
  quantified(node: Node): Node {
    const c = this.peek();
    let min: number, max: number | null;
    if (c === "*") [min, max] = [0, null];
    else if (c === "+") [min, max] = [1, null];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) refuse(this.src, "a literal {");
      this.i += m[0].length - 1;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : null;
      if (max !== null && max < min) refuse(this.src, `the quantifier ${m[0]}`);
    } else return node;
    this.i++;
    if (this.peek() === "?") this.i++; // lazy: same language
    if ("*+?{".includes(this.peek() ?? "")) refuse(this.src, "a quantifier on a quantifier");
    return this.quantified({ kind: "rep", node, min, max });
  }
  atom(): Node {
    const c = this.src.codePointAt(this.i)!;
    const ch = String.fromCodePoint(c);
    this.i += ch.length;
    if (ch === "(") {
      if (this.src.startsWith("?:", this.i)) this.i += 2;
      else if (this.peek() === "?") refuse(this.src, "lookaround or a named group");
      const inner = this.alt();
      if (this.peek() !== ")") refuse(this.src, "an unclosed group");
      this.i++;
      return inner;
    }
    if (ch === "[") return this.set();
    if (ch === ".") return { kind: "set", ranges: lineBreaks, negate: true };
    if (ch === "\\") return { kind: "set", ...this.escape(false) };
    if ("^$)]}*+?|{".includes(ch)) refuse(this.src, `"${ch}" here`);
    return { kind: "set", ranges: [[c, c]], negate: false };
  }
  escape(inClass: boolean): { ranges: [number, number][]; negate: boolean } {
    const e = this.src[this.i++];
    if (e === undefined) refuse(this.src, "a trailing backslash");
    const classes: Record<string, [number, number][]> = { d: digit, w: word, s: space };
    if (e in classes) return { ranges: classes[e]!, negate: false };
    if (e.toLowerCase() in classes) {
      if (inClass) refuse(this.src, `\\${e} inside a class`);
      return { ranges: classes[e.toLowerCase()]!, negate: true };
    }
    const controls: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11, "0": 0 };
    if (e in controls) return { ranges: [[controls[e]!, controls[e]!]], negate: false };
    if (e === "u") {
      const m = /^(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]{1,6})\})/.exec(this.src.slice(this.i));
      if (!m) refuse(this.src, "a malformed \\u escape");
      this.i += m[0].length;
      const cp = parseInt(m[1] ?? m[2]!, 16);
      return { ranges: [[cp, cp]], negate: false };
    }
    if (e === "x") {
      const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i));
      if (!m) refuse(this.src, "a malformed \\x escape");
      this.i += 2;
      const cp = parseInt(m[0], 16);
      return { ranges: [[cp, cp]], negate: false };
    }
    if (/[\^$\\.*+?()[\]{}|/\-]/.test(e)) return { ranges: [[e.charCodeAt(0), e.charCodeAt(0)]], negate: false };
    return refuse(this.src, `the escape \\${e}`);
  }
  set(): Node {
    const negate = this.peek() === "^";
    if (negate) this.i++;
    const ranges: [number, number][] = [];
    let first = true;
    while (this.i < this.src.length && (this.peek() !== "]" || (first && false))) {
      first = false;
      const lo = this.classAtom();
      if (this.peek() === "-" && this.src[this.i + 1] !== "]" && this.i + 1 < this.src.length) {
        this.i++;
        const hi = this.classAtom();
        if (lo.length !== 1 || hi.length !== 1 || lo[0]![0] !== lo[0]![1] || hi[0]![0] !== hi[0]![1]) refuse(this.src, "a range between classes");
        if (hi[0]![0] < lo[0]![0]) refuse(this.src, "a reversed range");
        ranges.push([lo[0]![0], hi[0]![0]]);
      } else ranges.push(...lo);
    }
    if (this.peek() !== "]") refuse(this.src, "an unclosed class");
    this.i++;
    return { kind: "set", ranges, negate };
  }
  classAtom(): [number, number][] {
    const c = this.src.codePointAt(this.i)!;
    const ch = String.fromCodePoint(c);
    this.i += ch.length;
    if (ch === "\\") {
      if (this.peek() === "b") refuse(this.src, "\\b");
      const e = this.escape(true);
      return e.ranges;
    }
    if (ch === "[") refuse(this.src, "a nested class");
    return [[c, c]];
  }
}

// What a string's characters may be in the output, as code points, written raw.
const raw: [number, number][] = [[0x20, 0x21], [0x23, 0x5b], [0x5d, 0x7e], [0xa0, 0xd7ff], [0xe000, 0xfffd], [0x10000, 0x10ffff]];
// Characters written as a two-character JSON escape.
const escaped: Record<number, string> = { 0x22: '"\\\\\\""', 0x5c: '"\\\\\\\\"', 0x0a: '"\\\\n"', 0x09: '"\\\\t"', 0x0d: '"\\\\r"' };

function normalise(ranges: [number, number][], negate: boolean): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  if (!negate) return merged;
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of merged) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

function intersect(a: [number, number][], b: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [alo, ahi] of a) for (const [blo, bhi] of b) if (Math.max(alo, blo) <= Math.min(ahi, bhi)) out.push([Math.max(alo, blo), Math.min(ahi, bhi)]);
  return out;
}

const hex = (cp: number) => (cp < 0x100 ? `\\x${cp.toString(16).padStart(2, "0")}` : cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, "0")}` : `\\U${cp.toString(16).padStart(8, "0")}`);
const utf8 = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/** A set of code points as GBNF emitting their JSON text; null when nothing in it can be written. */
export function charSet(ranges: [number, number][], negate: boolean): PatternPiece | null {
  const set = normalise(ranges, negate);
  const writable = intersect(set, raw);
  const alts: string[] = [];
  let minBytes = Infinity;
  let maxBytes = 0;
  if (writable.length) {
    alts.push(`[${writable.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join("")}]`);
    minBytes = Math.min(...writable.map(([lo]) => utf8(lo)));
    maxBytes = Math.max(...writable.map(([, hi]) => utf8(hi)));
  }
  for (const [cp, g] of Object.entries(escaped)) {
    if (set.some(([lo, hi]) => lo <= Number(cp) && Number(cp) <= hi)) {
      alts.push(g);
      minBytes = Math.min(minBytes, 2);
      maxBytes = Math.max(maxBytes, 2);
    }
  }
  if (!alts.length) return null;
  return { g: alts.length === 1 ? alts[0]! : `(${alts.join(" | ")})`, minChars: 1, maxChars: 1, minBytes, maxBytes };
}

function render(node: Node, cap: number, pattern: string): PatternPiece | null {
  if (node.kind === "set") {
    const piece = charSet(node.ranges, node.negate);
    if (!piece) refuse(pattern, "a class with no character that can be written");
    return piece;
  }
  if (node.kind === "seq") {
    const parts = node.items.map((n) => render(n, cap, pattern)).filter((p): p is PatternPiece => p !== null);
    if (!parts.length) return null;
    return parts.reduce((a, b) => ({ g: `${a.g} ${b.g}`, minChars: a.minChars + b.minChars, maxChars: a.maxChars + b.maxChars, minBytes: a.minBytes + b.minBytes, maxBytes: a.maxBytes + b.maxBytes }));
  }
  if (node.kind === "alt") {
    const parts = node.options.map((n) => render(n, cap, pattern));
    const real = parts.filter((p): p is PatternPiece => p !== null);
    const hasEmpty = real.length < parts.length;
    if (!real.length) return null;
    const g = `(${real.map((p) => p.g).join(" | ")})${hasEmpty ? "?" : ""}`;
    return { g, minChars: hasEmpty ? 0 : Math.min(...real.map((p) => p.minChars)), maxChars: Math.max(...real.map((p) => p.maxChars)), minBytes: hasEmpty ? 0 : Math.min(...real.map((p) => p.minBytes)), maxBytes: Math.max(...real.map((p) => p.maxBytes)) };
  }
  const inner = render(node.node, cap, pattern);
  const max = node.max ?? node.min + cap;
  if (!inner || max === 0) return null;
  const rep = node.min === max ? `{${max}}` : `{${node.min},${max}}`;
  return { g: `(${inner.g})${rep}`, minChars: inner.minChars * node.min, maxChars: inner.maxChars * max, minBytes: inner.minBytes * node.min, maxBytes: inner.maxBytes * max };
}

/** The pattern as GBNF for a string's content (without the quotes); `cap` bounds * + and {n,}. */
export function patternGrammar(pattern: string, cap: number): PatternPiece {
  const parser = new Parser(pattern);
  const body = parser.alt();
  if (parser.i < pattern.length) refuse(pattern, `"${pattern[parser.i]}" at position ${parser.i}`);
  const anchoredStart = pattern.startsWith("^");
  const anchoredEnd = pattern.endsWith("$") && !pattern.endsWith("\\$");
  if (body.kind === "alt" && (anchoredStart || anchoredEnd) && !(anchoredStart && anchoredEnd)) refuse(pattern, "an anchor on one branch of a top-level |");
  if (body.kind === "alt" && anchoredStart && anchoredEnd && /\|/.test(pattern) && !/^\^\(.*\)\$$/.test(pattern)) refuse(pattern, "anchors around a top-level | (write ^(a|b)$)");
  const any: Node = { kind: "rep", node: { kind: "set", ranges: lineBreaks, negate: true }, min: 0, max: null };
  // Unanchored: JSON Schema's pattern matches anywhere, so anything may come before or after.
  const full: Node = { kind: "seq", items: [...(anchoredStart ? [] : [any]), body, ...(anchoredEnd ? [] : [any])] };
  return render(full, cap, pattern) ?? { g: "", minChars: 0, maxChars: 0, minBytes: 0, maxBytes: 0 };
}
