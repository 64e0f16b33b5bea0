// Latency and time-to-first-token histograms kept in the usage rollups, so percentiles of any
// range come from a few hundred rows instead of millions of events. Buckets are fixed and
// log-scale: each lower bound is about 1.25 times the one before, so a percentile read from a
// histogram falls in the true value's bucket: within 25% of it, usually much closer. Bucket i (0-based) holds values v with
// bounds[i-1] <= v < bounds[i]; bucket 0 holds 0 ms, the last one everything from 718 s up.
// The same bounds are written into the SQL function `bora_hist_index` (drizzle/0009): the meter
// (here) and bulk rebuilds (in SQL, `width_bucket`) must put a value in the same bucket.
export const histogramBounds = [
  1, 2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25, 31, 39, 49, 61, 76, 95, 119, 149, 186, 233, 291, 364, 455, 569, 711, 889, 1111, 1389, 1736, 2170, 2713, 3391, 4239, 5299, 6624, 8280, 10350, 12938, 16173, 20216,
  25270, 31588, 39485, 49356, 61695, 77119, 96399, 120499, 150624, 188280, 235350, 294188, 367735, 459669, 574586, 718233,
] as const;

/** The bucket of a value: how many lower bounds are <= it (Postgres's width_bucket with an array). */
export function bucketOf(ms: number): number {
  let lo = 0;
  let hi: number = histogramBounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (histogramBounds[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Histograms are stored trimmed: as long as their highest non-empty bucket, `[]` when empty.
 * Sums of trimmed histograms stay trimmed, so the meter and a bulk rebuild write equal arrays.
 */
export function addToHistogram(h: number[], ms: number): void {
  const i = bucketOf(ms);
  while (h.length <= i) h.push(0);
  h[i]! += 1;
}

export function addHistograms(a: readonly number[], b: readonly number[]): number[] {
  const out = a.length >= b.length ? [...a] : [...b];
  const other = a.length >= b.length ? b : a;
  other.forEach((n, i) => (out[i]! += n));
  return out;
}

/**
 * The p-th quantile (0 < p <= 1) estimated from a histogram: the bucket that holds the ranked
 * value, interpolated linearly inside it. Null when the histogram is empty.
 */
export function quantile(h: readonly number[], p: number): number | null {
  const total = h.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    const n = h[i]!;
    if (n === 0) continue;
    if (seen + n >= rank) {
      if (i === 0) return 0;
      const lo = histogramBounds[i - 1]!;
      const hi = histogramBounds[i] ?? lo;
      // Values are integers in [lo, hi): spread the bucket's n values evenly over it.
      return lo + ((hi - lo) * (rank - seen - 0.5)) / n;
    }
    seen += n;
  }
  return null;
}

/** Parses a bigint[] as either driver returns it (array of strings or numbers, or a literal). */
export function histogramFrom(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number);
  if (typeof v === "string") return v === "{}" || v === "" ? [] : v.replace(/[{}]/g, "").split(",").map(Number);
  return [];
}
