// A seeded random source whose whole state is one uint32, so a checkpoint can store it and a
// resumed run draws exactly the numbers the uninterrupted run would have drawn.
export type Rng = { state: number };

export function createRng(seed: number): Rng {
  return { state: seed >>> 0 };
}

/** A seed from a string (the job id), FNV-1a: the same spec always trains the same weights. */
export function seedFrom(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Uniform in [0, 1), mulberry32. */
export function nextFloat(rng: Rng): number {
  rng.state = (rng.state + 0x6d2b79f5) >>> 0;
  let t = rng.state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export function nextInt(rng: Rng, below: number): number {
  return Math.floor(nextFloat(rng) * below);
}

/** Standard normal, Box-Muller; 1 - u keeps the logarithm away from zero. */
export function nextNormal(rng: Rng): number {
  const u = 1 - nextFloat(rng);
  const v = nextFloat(rng);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
