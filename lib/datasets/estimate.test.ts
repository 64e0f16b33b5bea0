import { describe, expect, it } from "vitest";
import { DEFAULT_HYPERPARAMETERS, HYPERPARAMETER_HELP, estimateTraining } from "./estimate";

const base = { pricePerMillionTrainingTokens: 4, tokensPerSecond: 1000 };

describe("estimateTraining", () => {
  it("derives tokens from training_steps × seq_len, one sequence per step", () => {
    const estimate = estimateTraining({ ...base, datasetTokens: 400_000, hyperparameters: { training_steps: 50, seq_len: 8192 } });
    expect(estimate).toEqual({
      trainingSteps: 50,
      trainTokensPerStep: 8192,
      trainTokens: 409_600,
      epochs: 409_600 / 400_000,
      cost: 0.4096 * 4,
      expectedDurationSeconds: 410, // 409.6 s, rounded up
    });
  });

  it("derives tokens from epochs × dataset tokens when no steps are given, with the default seq_len", () => {
    const estimate = estimateTraining({ ...base, datasetTokens: 1_000_000, hyperparameters: { epochs: 3 } });
    expect(estimate.trainTokensPerStep).toBe(32768);
    expect(estimate.trainTokens).toBe(3_000_000);
    expect(estimate.epochs).toBe(3);
    expect(estimate.trainingSteps).toBe(Math.ceil(3_000_000 / 32768));
    expect(estimate.cost).toBeCloseTo(12, 10);
    expect(estimate.expectedDurationSeconds).toBe(3000);
  });

  it("lets training_steps win over epochs and defaults to one epoch when neither is set", () => {
    expect(estimateTraining({ ...base, datasetTokens: 10_000, hyperparameters: { training_steps: 2, epochs: 5, seq_len: 1000 } }).trainTokens).toBe(2000);
    expect(estimateTraining({ ...base, datasetTokens: 10_000, hyperparameters: {} })).toMatchObject({ trainTokens: 10_000, epochs: 1, trainingSteps: 1 });
  });

  it("reports 0 epochs for an empty dataset rather than Infinity", () => {
    expect(estimateTraining({ ...base, datasetTokens: 0, hyperparameters: { training_steps: 10 } }).epochs).toBe(0);
  });

  it("rejects inputs no job could have", () => {
    expect(() => estimateTraining({ ...base, datasetTokens: 1, hyperparameters: { training_steps: 1.5 } })).toThrow(RangeError);
    expect(() => estimateTraining({ ...base, datasetTokens: 1, hyperparameters: { seq_len: 0 } })).toThrow(RangeError);
    expect(() => estimateTraining({ ...base, datasetTokens: -1, hyperparameters: {} })).toThrow(RangeError);
    expect(() => estimateTraining({ ...base, tokensPerSecond: 0, datasetTokens: 1, hyperparameters: {} })).toThrow(RangeError);
  });

  it("documents every default hyperparameter", () => {
    expect(DEFAULT_HYPERPARAMETERS).toMatchObject({ learning_rate: 1e-4, weight_decay: 0.1, warmup_fraction: 0.05, seq_len: 32768 });
    expect(Object.keys(HYPERPARAMETER_HELP).sort()).toEqual(Object.keys(DEFAULT_HYPERPARAMETERS).sort());
  });
});
