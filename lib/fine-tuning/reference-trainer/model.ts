// The network: the previous `context` characters, each embedded, concatenated, through one tanh
// hidden layer to a softmax over the vocabulary (Bengio et al. 2003, at toy size). All parameters
// live in one Float32Array so the optimizer and the checkpoint treat them as one vector.
import { nextNormal, type Rng } from "./rng";
import type { Batch } from "./dataset";

export type ModelShape = { vocabulary: number; context: number; embedding: number; hidden: number };
export type Model = { shape: ModelShape; params: Float32Array };

// Big enough to learn words and role markers from a few dozen conversations, small enough that a
// step of 64 characters takes a few milliseconds on one core.
export const defaultShape = { context: 8, embedding: 12, hidden: 64 } as const;

export type Layout = { embedding: number; w1: number; b1: number; w2: number; b2: number; size: number };

/** Offsets of each tensor in the flat parameter vector. */
export function layoutOf(shape: ModelShape): Layout {
  const { vocabulary: v, context: k, embedding: d, hidden: h } = shape;
  const w1 = v * d;
  const b1 = w1 + h * k * d;
  const w2 = b1 + h;
  const b2 = w2 + v * h;
  return { embedding: 0, w1, b1, w2, b2, size: b2 + v };
}

export function createModel(shape: ModelShape, rng: Rng): Model {
  const layout = layoutOf(shape);
  const params = new Float32Array(layout.size);
  const inputs = shape.context * shape.embedding;
  for (let i = 0; i < layout.w1; i++) params[i] = nextNormal(rng);
  for (let i = layout.w1; i < layout.b1; i++) params[i] = nextNormal(rng) / Math.sqrt(inputs);
  // Small output weights make the first prediction nearly uniform: the loss starts at ln(vocabulary).
  for (let i = layout.w2; i < layout.b2; i++) params[i] = nextNormal(rng) * 0.01;
  return { shape, params };
}

type Scratch = { x: Float64Array; h: Float64Array; p: Float64Array };

function scratchFor(shape: ModelShape): Scratch {
  return { x: new Float64Array(shape.context * shape.embedding), h: new Float64Array(shape.hidden), p: new Float64Array(shape.vocabulary) };
}

/** Fills s.p with the next-character distribution for example b of the batch. */
function forward(model: Model, layout: Layout, contexts: Int32Array, b: number, s: Scratch): void {
  const { context: k, embedding: d, hidden: hn, vocabulary: v } = model.shape;
  // Locals rather than property reads in the inner loops: this function is most of the run time.
  const w = model.params;
  const { x, h, p } = s;
  const inputs = k * d;
  for (let c = 0; c < k; c++) {
    const row = contexts[b * k + c]! * d;
    for (let j = 0; j < d; j++) x[c * d + j] = w[row + j]!;
  }
  for (let j = 0, row = layout.w1; j < hn; j++, row += inputs) {
    let sum = w[layout.b1 + j]!;
    for (let i = 0; i < inputs; i++) sum += w[row + i]! * x[i]!;
    h[j] = Math.tanh(sum);
  }
  let max = -Infinity;
  for (let o = 0, row = layout.w2; o < v; o++, row += hn) {
    let sum = w[layout.b2 + o]!;
    for (let j = 0; j < hn; j++) sum += w[row + j]! * h[j]!;
    p[o] = sum;
    if (sum > max) max = sum;
  }
  let total = 0;
  for (let o = 0; o < v; o++) total += p[o] = Math.exp(p[o]! - max);
  for (let o = 0; o < v; o++) p[o]! /= total;
}

/** Mean cross-entropy (nats per character) of the batch; `grad` receives its gradient. */
export function lossAndGradient(model: Model, batch: Batch, grad: Float32Array): number {
  const { context: k, embedding: d, hidden: hn, vocabulary: v } = model.shape;
  const layout = layoutOf(model.shape);
  const w = model.params;
  const inputs = k * d;
  const s = scratchFor(model.shape);
  const dh = new Float64Array(hn);
  const dx = new Float64Array(inputs);
  const scale = 1 / batch.size;
  grad.fill(0);
  let loss = 0;
  const { x, h, p } = s;
  for (let b = 0; b < batch.size; b++) {
    forward(model, layout, batch.contexts, b, s);
    const target = batch.targets[b]!;
    loss -= Math.log(Math.max(p[target]!, 1e-30));
    dh.fill(0);
    for (let o = 0, row = layout.w2; o < v; o++, row += hn) {
      const dl = (p[o]! - (o === target ? 1 : 0)) * scale;
      grad[layout.b2 + o]! += dl;
      for (let j = 0; j < hn; j++) {
        grad[row + j]! += dl * h[j]!;
        dh[j]! += w[row + j]! * dl;
      }
    }
    dx.fill(0);
    for (let j = 0, row = layout.w1; j < hn; j++, row += inputs) {
      const hj = h[j]!;
      const dpre = dh[j]! * (1 - hj * hj);
      grad[layout.b1 + j]! += dpre;
      for (let i = 0; i < inputs; i++) {
        grad[row + i]! += dpre * x[i]!;
        dx[i]! += w[row + i]! * dpre;
      }
    }
    for (let c = 0; c < k; c++) {
      const row = batch.contexts[b * k + c]! * d;
      for (let j = 0; j < d; j++) grad[row + j]! += dx[c * d + j]!;
    }
  }
  return loss * scale;
}

/** Mean cross-entropy and the share of characters whose most likely prediction is right. */
export function evaluate(model: Model, batch: Batch): { loss: number; accuracy: number } {
  const layout = layoutOf(model.shape);
  const s = scratchFor(model.shape);
  let loss = 0;
  let correct = 0;
  for (let b = 0; b < batch.size; b++) {
    forward(model, layout, batch.contexts, b, s);
    const target = batch.targets[b]!;
    loss -= Math.log(Math.max(s.p[target]!, 1e-30));
    let best = 0;
    for (let o = 1; o < model.shape.vocabulary; o++) if (s.p[o]! > s.p[best]!) best = o;
    if (best === target) correct++;
  }
  return { loss: loss / batch.size, accuracy: correct / batch.size };
}

/** The next-character distribution after a context of exactly `shape.context` ids. */
export function predict(model: Model, context: Int32Array): Float64Array {
  const s = scratchFor(model.shape);
  forward(model, layoutOf(model.shape), context, 0, s);
  return s.p;
}
