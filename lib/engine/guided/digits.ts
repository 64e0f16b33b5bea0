// Numbers as GBNF: every integer in a range, written without exponent or fraction, and
// decimals as integers scaled by 10^k with the point put back in. A range is split into
// alternatives of fixed length, each a run of digit classes (the usual regex-for-range split),
// so the point can sit at a fixed place in each. Bounds are exact: BigInt, never doubles.

export type DigitClass = [lo: number, hi: number];

function sameLength(lo: string, hi: string): DigitClass[][] {
  if (lo.length === 0) return [[]];
  if (lo === hi) return [[...lo].map((d) => [Number(d), Number(d)] as DigitClass)];
  const [l0, h0] = [Number(lo[0]), Number(hi[0])];
  const [lr, hr] = [lo.slice(1), hi.slice(1)];
  const any = (n: number): DigitClass[] => Array.from({ length: n }, () => [0, 9] as DigitClass);
  if (l0 === h0) return sameLength(lr, hr).map((alt) => [[l0, l0], ...alt]);
  const out: DigitClass[][] = [];
  const lowFull = /^0*$/.test(lr);
  const highFull = /^9*$/.test(hr);
  const from = lowFull ? l0 : l0 + 1;
  const to = highFull ? h0 : h0 - 1;
  if (!lowFull) out.push(...sameLength(lr, "9".repeat(lr.length)).map((alt) => [[l0, l0] as DigitClass, ...alt]));
  if (from <= to) out.push([[from, to], ...any(lr.length)]);
  if (!highFull) out.push(...sameLength("0".repeat(hr.length), hr).map((alt) => [[h0, h0] as DigitClass, ...alt]));
  return out;
}

/** Alternatives covering exactly [a, b] (0 ≤ a ≤ b), without leading zeros. */
export function rangeAlternatives(a: bigint, b: bigint): DigitClass[][] {
  const out: DigitClass[][] = [];
  for (let len = a.toString().length; len <= b.toString().length; len++) {
    const lo = len === 1 ? 0n : 10n ** BigInt(len - 1);
    const from = a > lo ? a : lo;
    const to = b < 10n ** BigInt(len) - 1n ? b : 10n ** BigInt(len) - 1n;
    if (from <= to) out.push(...sameLength(from.toString(), to.toString()));
  }
  return out;
}

const classText = ([lo, hi]: DigitClass) => (lo === hi ? `"${lo}"` : lo === 0 && hi === 9 ? "[0-9]" : `[${lo}-${hi}]`);

/** One alternative as GBNF, with the point before the last `frac` digits ("0.0…" when short). */
function renderAlternative(alt: DigitClass[], frac: number): { g: string; bytes: number } {
  let parts: string[] = alt.map(classText);
  let bytes = alt.length;
  if (frac > 0) {
    if (alt.length > frac) parts.splice(alt.length - frac, 0, '"."');
    else parts = ['"0."', ...Array.from({ length: frac - alt.length }, () => '"0"'), ...parts];
    bytes = Math.max(alt.length, frac) + (alt.length > frac ? 1 : 2);
  }
  // Merge runs: adjacent literals into one, repeated [0-9] into a count.
  const merged: string[] = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if (last && p.startsWith('"') && last.startsWith('"') && last.endsWith('"')) merged[merged.length - 1] = last.slice(0, -1) + p.slice(1);
    else merged.push(p);
  }
  const runs: string[] = [];
  for (let i = 0; i < merged.length; ) {
    let j = i;
    while (j < merged.length && merged[j] === merged[i]) j++;
    runs.push(j - i > 1 ? `${merged[i]}{${j - i}}` : merged[i]!);
    i = j;
  }
  return { g: runs.join(" "), bytes };
}

export type NumberPiece = { g: string; min: number; max: number };

/** Every N in [lo, hi] written as N / 10^frac (plain digits, optional "-", no exponent). */
export function scaledRange(lo: bigint, hi: bigint, frac: number): NumberPiece {
  const alts: { g: string; bytes: number }[] = [];
  if (lo < 0n) {
    const negHi = hi < -1n ? hi : -1n;
    for (const alt of rangeAlternatives(-negHi, -lo)) {
      const r = renderAlternative(alt, frac);
      alts.push({ g: `"-" ${r.g}`, bytes: r.bytes + 1 });
    }
  }
  if (hi >= 0n) for (const alt of rangeAlternatives(lo > 0n ? lo : 0n, hi)) alts.push(renderAlternative(alt, frac));
  return { g: alts.length === 1 ? alts[0]!.g : `(${alts.map((a) => a.g).join(" | ")})`, min: Math.min(...alts.map((a) => a.bytes)), max: Math.max(...alts.map((a) => a.bytes)) };
}

/** A JS number as an exact decimal: digits × 10^exp. */
export function exactDecimal(x: number): { digits: bigint; exp: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(x));
  if (!m) throw new Error(`not a finite number: ${x}`);
  const frac = m[3] ?? "";
  const digits = BigInt(`${m[1]}${m[2]}${frac}`);
  return { digits, exp: Number(m[4] ?? 0) - frac.length };
}

/** floor or ceil of x × 10^k, exactly. */
export function scaleBound(x: number, k: number, round: "floor" | "ceil"): bigint {
  const { digits, exp } = exactDecimal(x);
  const e = exp + k;
  if (e >= 0) return digits * 10n ** BigInt(e);
  const div = 10n ** BigInt(-e);
  const q = digits / div; // truncates toward zero
  const exact = q * div === digits;
  if (exact) return q;
  if (round === "floor") return digits < 0n ? q - 1n : q;
  return digits < 0n ? q : q + 1n;
}

/** Decimal places needed to write x exactly (0 for integers). */
export function decimalPlaces(x: number): number {
  const { digits, exp } = exactDecimal(x);
  if (exp >= 0 || digits === 0n) return 0;
  let places = -exp;
  let d = digits < 0n ? -digits : digits;
  while (places > 0 && d % 10n === 0n) {
    d /= 10n;
    places--;
  }
  return places;
}
