// Tests only: a (non-recursive) GBNF grammar as a JS RegExp, so the converter's languages can be
// checked exactly, code point by code point, without a model.
function unescape(src: string, i: number): [cp: number, next: number] {
  if (src[i] !== "\\") {
    const cp = src.codePointAt(i)!;
    return [cp, i + String.fromCodePoint(cp).length];
  }
  const e = src[i + 1]!;
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, "\\": 92, '"': 34, "[": 91, "]": 93, "-": 45, "^": 94 };
  if (e in simple) return [simple[e]!, i + 2];
  const width = { x: 2, u: 4, U: 8 }[e];
  if (!width) throw new Error(`escape \\${e}`);
  return [parseInt(src.slice(i + 2, i + 2 + width), 16), i + 2 + width];
}

const cpRe = (cp: number) => `\\u{${cp.toString(16)}}`;

export function gbnfToRegExp(grammar: string): RegExp {
  const rules = new Map<string, string>();
  for (const line of grammar.split("\n")) {
    const m = /^([\w-]+) ::= (.*)$/.exec(line);
    if (m) rules.set(m[1]!, m[2]!);
  }
  const memo = new Map<string, string>();
  const rule = (name: string): string => {
    if (!memo.has(name)) memo.set(name, expr(rules.get(name)!));
    return memo.get(name)!;
  };
  const expr = (src: string): string => {
    let out = "";
    for (let i = 0; i < src.length; ) {
      const c = src[i]!;
      if (c === " ") i++;
      else if (c === '"') {
        i++;
        while (src[i] !== '"') {
          const [cp, next] = unescape(src, i);
          out += cpRe(cp);
          i = next;
        }
        i++;
      } else if (c === "[") {
        i++;
        let cls = "[";
        if (src[i] === "^") {
          cls += "^";
          i++;
        }
        while (src[i] !== "]") {
          if (src[i] === "-") {
            cls += "-";
            i++;
            continue;
          }
          const [cp, next] = unescape(src, i);
          cls += cpRe(cp);
          i = next;
        }
        out += cls + "]";
        i++;
      } else if (c === "(") {
        out += "(?:";
        i++;
      } else if ("|)?*+".includes(c)) {
        out += c;
        i++;
      } else if (c === "{") {
        const end = src.indexOf("}", i);
        out += src.slice(i, end + 1);
        i = end + 1;
      } else {
        const m = /^[\w-]+/.exec(src.slice(i))!;
        out += `(?:${rule(m[0])})`;
        i += m[0].length;
      }
    }
    return out;
  };
  return new RegExp(`^(?:${rule("root")})$`, "u");
}
