// AdamW (Loshchilov & Hutter) with linear warmup and cosine decay, the schedule Mistral's
// fine-tuning hyperparameters (learning_rate, weight_decay, warmup_fraction) describe.

export type AdamState = { m: Float32Array; v: Float32Array };
/** Half-open [from, to) ranges of the parameter vector that weight decay applies to. */
export type DecayRanges = Array<[number, number]>;

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;
// One bad batch must not throw the weights far; the clip rarely binds once training settles.
const MAX_GRADIENT_NORM = 1;
// The cosine ends at this share of the peak rather than zero, so the last steps still learn.
const FINAL_LR_SHARE = 0.1;

/**
 * Mistral's learning rates are sized for adapters on billion-parameter models (default 1e-4); on
 * this model of some ten thousand parameters the same number would barely move the loss in a few
 * hundred steps. The spec's rate is multiplied by this, so its default lands on a rate that trains
 * this model well (1e-2) and doubling it in the spec still doubles it here.
 */
export const LEARNING_RATE_SCALE = 100;

export const defaultWeightDecay = 0.1;
export const defaultWarmupFraction = 0.05;

export function createAdam(size: number): AdamState {
  return { m: new Float32Array(size), v: new Float32Array(size) };
}

/** The learning rate at 1-based `step` of `totalSteps`. */
export function learningRateAt(step: number, totalSteps: number, peak: number, warmupFraction: number): number {
  const warmup = Math.ceil(warmupFraction * totalSteps);
  if (step <= warmup) return (peak * step) / warmup;
  const progress = (step - warmup) / Math.max(1, totalSteps - warmup);
  const cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  return peak * (FINAL_LR_SHARE + (1 - FINAL_LR_SHARE) * cosine);
}

/** One AdamW update at 1-based `step`, in place. The gradient is clipped to a global norm first. */
export function adamStep(
  params: Float32Array,
  grad: Float32Array,
  state: AdamState,
  options: { step: number; learningRate: number; weightDecay: number; decay: DecayRanges },
): void {
  let norm = 0;
  for (let i = 0; i < grad.length; i++) norm += grad[i]! * grad[i]!;
  norm = Math.sqrt(norm);
  const clip = norm > MAX_GRADIENT_NORM ? MAX_GRADIENT_NORM / norm : 1;
  const correct1 = 1 - BETA1 ** options.step;
  const correct2 = 1 - BETA2 ** options.step;
  const lr = options.learningRate;
  for (const [from, to] of options.decay) {
    for (let i = from; i < to; i++) params[i]! -= lr * options.weightDecay * params[i]!;
  }
  for (let i = 0; i < params.length; i++) {
    const g = grad[i]! * clip;
    const m = (state.m[i] = BETA1 * state.m[i]! + (1 - BETA1) * g);
    const v = (state.v[i] = BETA2 * state.v[i]! + (1 - BETA2) * g * g);
    params[i]! -= (lr * (m / correct1)) / (Math.sqrt(v / correct2) + EPSILON);
  }
}
