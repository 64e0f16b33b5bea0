// Estimates a fine-tuning job's size, cost and duration before it runs, in the terms of Mistral's
// job metadata (train_tokens_per_step, train_tokens, cost, expected_duration_seconds).

// The hyperparameters of a fine-tuning job as the API takes them (snake_case, nullable like Mistral's).
export type TrainingHyperparameters = {
  training_steps?: number | null;
  learning_rate?: number | null;
  weight_decay?: number | null;
  warmup_fraction?: number | null;
  epochs?: number | null;
  seq_len?: number | null;
};

// Defaults shown and used by the wizard; training_steps is unset so the length follows epochs.
export const DEFAULT_HYPERPARAMETERS = {
  training_steps: null,
  learning_rate: 1e-4,
  weight_decay: 0.1,
  warmup_fraction: 0.05,
  epochs: 1,
  seq_len: 32768,
} as const satisfies Required<TrainingHyperparameters>;

// One line each, for the wizard's help text.
export const HYPERPARAMETER_HELP: Record<keyof TrainingHyperparameters, string> = {
  training_steps: "Number of weight updates; each step trains on one sequence of seq_len tokens. Overrides epochs when set.",
  learning_rate: "How far each update moves the weights; 1e-4 suits LoRA fine-tuning, lower is safer, higher learns faster.",
  weight_decay: "Pulls weights towards zero each update to limit overfitting.",
  warmup_fraction: "Share of the steps over which the learning rate ramps up from zero, to steady the start.",
  epochs: "How many times the training data is seen; used when training_steps is not set.",
  seq_len: "Tokens per training sequence; samples are packed together up to this length.",
};

export type TrainingEstimateInput = {
  datasetTokens: number; // tokens of the training set, as validateDataset counts them
  hyperparameters: TrainingHyperparameters;
  pricePerMillionTrainingTokens: number;
  tokensPerSecond: number; // the trainer's measured throughput
};

export type TrainingEstimate = {
  trainingSteps: number; // given, or the steps needed to cover trainTokens
  trainTokensPerStep: number;
  trainTokens: number;
  epochs: number; // passes over the data, fractional when steps do not divide it evenly
  cost: number; // in the price's currency, unrounded: the caller formats it
  expectedDurationSeconds: number;
};

// Throws RangeError on inputs no job could have, so a bad form value never shows as NaN or Infinity.
export function estimateTraining(input: TrainingEstimateInput): TrainingEstimate {
  const { datasetTokens, hyperparameters: h, pricePerMillionTrainingTokens, tokensPerSecond } = input;
  const seqLen = h.seq_len ?? DEFAULT_HYPERPARAMETERS.seq_len;
  const epochs = h.epochs ?? DEFAULT_HYPERPARAMETERS.epochs;
  requireThat(Number.isFinite(datasetTokens) && datasetTokens >= 0, "datasetTokens must be a non-negative number");
  requireThat(Number.isInteger(seqLen) && seqLen > 0, "seq_len must be a positive integer");
  requireThat(Number.isFinite(epochs) && epochs > 0, "epochs must be a positive number");
  requireThat(h.training_steps == null || (Number.isInteger(h.training_steps) && h.training_steps > 0), "training_steps must be a positive integer");
  requireThat(Number.isFinite(pricePerMillionTrainingTokens) && pricePerMillionTrainingTokens >= 0, "pricePerMillionTrainingTokens must be a non-negative number");
  requireThat(Number.isFinite(tokensPerSecond) && tokensPerSecond > 0, "tokensPerSecond must be a positive number");

  // One packed sequence per step (batch size 1): what our trainer runs, and how Mistral's metadata
  // relates its numbers (train_tokens = training_steps × train_tokens_per_step).
  const trainTokensPerStep = seqLen;
  const trainTokens = h.training_steps != null ? h.training_steps * trainTokensPerStep : Math.round(epochs * datasetTokens);
  const trainingSteps = h.training_steps ?? Math.ceil(trainTokens / trainTokensPerStep);
  return {
    trainingSteps,
    trainTokensPerStep,
    trainTokens,
    // An empty dataset has no epochs to speak of; 0 rather than Infinity keeps the wizard's display sane.
    epochs: datasetTokens > 0 ? trainTokens / datasetTokens : 0,
    cost: (trainTokens / 1e6) * pricePerMillionTrainingTokens,
    expectedDurationSeconds: Math.ceil(trainTokens / tokensPerSecond),
  };
}

function requireThat(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(message);
}
