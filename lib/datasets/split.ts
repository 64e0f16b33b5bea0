// Splits a dataset's samples into training and validation sets, deterministically from a seed so
// the console's preview, the CLI and the training job all pick the same lines.

export type TrainValidationSplit = {
  train: number[]; // 0-based sample indices, ascending
  validation: number[]; // 0-based sample indices, ascending
};

// Below this many samples a validation set would starve training and say little about it.
export const MIN_LINES_FOR_VALIDATION = 20;

// A 32-bit FNV-1a hash of the seed feeding mulberry32: tiny, fast, and the same in every JS engine
// (Math.imul and 32-bit integer arithmetic only), which a shared split needs more than statistical strength.
export function seededRandom(seed: string): () => number {
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// How many samples go to validation: none below MIN_LINES_FOR_VALIDATION or for a zero fraction,
// otherwise at least one, and always at least one left to train on.
export function validationSize(lineCount: number, validationFraction: number): number {
  if (lineCount < MIN_LINES_FOR_VALIDATION || validationFraction === 0) return 0;
  return Math.min(lineCount - 1, Math.max(1, Math.round(lineCount * validationFraction)));
}

// validationFraction comes before the (required) seed to keep the documented call shape; pass
// undefined for the default: splitTrainValidation(n, undefined, seed).
export function splitTrainValidation(lineCount: number, validationFraction = 0.05, seed: string): TrainValidationSplit {
  if (!Number.isInteger(lineCount) || lineCount < 0) throw new RangeError(`lineCount must be a non-negative integer, not ${lineCount}`);
  if (!(validationFraction >= 0 && validationFraction <= 1)) throw new RangeError(`validationFraction must be between 0 and 1, not ${validationFraction}`);
  const size = validationSize(lineCount, validationFraction);
  const random = seededRandom(seed);
  const indices = Array.from({ length: lineCount }, (_, i) => i);
  // A partial Fisher-Yates shuffle: only the first `size` places need drawing.
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (lineCount - i));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: indices.slice(size).sort(ascending), validation: indices.slice(0, size).sort(ascending) };
}
