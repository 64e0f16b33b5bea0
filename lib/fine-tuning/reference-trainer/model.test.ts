import { describe, expect, it } from "vitest";
import { createModel, evaluate, layoutOf, lossAndGradient, type ModelShape } from "./model";
import { adamStep, createAdam, learningRateAt } from "./optimizer";
import { createRng, nextInt } from "./rng";

const shape: ModelShape = { vocabulary: 7, context: 3, embedding: 4, hidden: 5 };

function randomBatch(size: number, seed: number) {
  const rng = createRng(seed);
  const contexts = Int32Array.from({ length: size * shape.context }, () => nextInt(rng, shape.vocabulary));
  const targets = Int32Array.from({ length: size }, () => nextInt(rng, shape.vocabulary));
  return { contexts, targets, size };
}

describe("reference trainer model", () => {
  it("starts near a uniform prediction, ln(vocabulary) nats per character", () => {
    const model = createModel(shape, createRng(1));
    const { loss } = evaluate(model, randomBatch(50, 2));
    expect(loss).toBeCloseTo(Math.log(shape.vocabulary), 1);
  });

  it("computes the gradient backprop claims, checked against finite differences in every tensor", () => {
    const model = createModel(shape, createRng(3));
    // Larger output weights than at init, so every tensor's gradient is well above rounding noise.
    const layout = layoutOf(shape);
    for (let i = layout.w2; i < layout.b2; i++) model.params[i]! *= 50;
    const batch = randomBatch(6, 4);
    const grad = new Float32Array(model.params.length);
    lossAndGradient(model, batch, grad);
    const probes = [layout.embedding + 5, layout.w1 + 17, layout.b1 + 2, layout.w2 + 9, layout.b2 + 3];
    for (const i of probes) {
      const original = model.params[i]!;
      const eps = 1e-2;
      model.params[i] = original + eps;
      const up = lossAndGradient(model, batch, new Float32Array(model.params.length));
      model.params[i] = original - eps;
      const down = lossAndGradient(model, batch, new Float32Array(model.params.length));
      model.params[i] = original;
      const numeric = (up - down) / (2 * eps);
      expect(Math.abs(numeric - grad[i]!)).toBeLessThan(1e-3 + 1e-2 * Math.abs(numeric));
    }
    expect(probes.some((i) => Math.abs(grad[i]!) > 1e-3)).toBe(true);
  });

  it("fits a fixed batch with AdamW steps", () => {
    const model = createModel(shape, createRng(5));
    const batch = randomBatch(20, 6);
    const grad = new Float32Array(model.params.length);
    const state = createAdam(model.params.length);
    const before = lossAndGradient(model, batch, grad);
    for (let step = 1; step <= 300; step++) {
      lossAndGradient(model, batch, grad);
      adamStep(model.params, grad, state, { step, learningRate: 0.02, weightDecay: 0, decay: [] });
    }
    expect(evaluate(model, batch).loss).toBeLessThan(before / 4);
  });

  it("warms the learning rate up linearly, then decays it to a tenth by the last step", () => {
    expect(learningRateAt(5, 100, 1, 0.1)).toBeCloseTo(0.5);
    expect(learningRateAt(10, 100, 1, 0.1)).toBeCloseTo(1);
    expect(learningRateAt(100, 100, 1, 0.1)).toBeCloseTo(0.1);
    expect(learningRateAt(1, 100, 1, 0)).toBeCloseTo(1, 2);
  });
});
