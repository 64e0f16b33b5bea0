// The training run: data in, events out. Kept apart from the process (argv, stdout, signals) so
// tests can drive it in-process and compare runs step by step.
import path from "node:path";
import { BoraError } from "../../errors";
import { readCheckpoint, writeCheckpoint, type LossWindow, type TrainingState } from "./checkpoint";
import type { DoneEvent, TrainerEvent, TrainerSpec } from "./contract";
import { buildVocabulary, encode, pairsAt, readConversationText, sampleBatch, type Batch, type Source } from "./dataset";
import { createModel, defaultShape, evaluate, layoutOf, lossAndGradient } from "./model";
import { adamStep, createAdam, defaultWarmupFraction, defaultWeightDecay, LEARNING_RATE_SCALE, learningRateAt } from "./optimizer";
import { createRng, seedFrom } from "./rng";

export type TrainOptions = {
  emit: (event: TrainerEvent) => void;
  /** Diagnostics for people, never parsed: stderr in the CLI. */
  log?: (line: string) => void;
  signal?: AbortSignal;
};

// Characters trained on per step when the spec has no seq_len. Mistral-sized seq_len values
// (thousands of tokens) are capped, so a step stays a few milliseconds on one core.
const DEFAULT_CHARS_PER_STEP = 64;
const MAX_CHARS_PER_STEP = 512;
const MIN_CHARS_PER_STEP = 16;
// Validation reads at most this many characters, from the start, so each evaluation stays well
// under a second whatever the size of the validation files.
const MAX_VALIDATION_CHARS = 2048;

export function modelName(spec: TrainerSpec): string {
  const id = spec.job_id.replace(/[^A-Za-z0-9]/g, "").slice(0, 8) || "job";
  return ["ft", spec.model, ...(spec.suffix ? [spec.suffix] : []), id].join(":");
}

async function initialState(spec: TrainerSpec, trainingTexts: string[]): Promise<TrainingState> {
  if (spec.resume_from) {
    const state = await readCheckpoint(spec.resume_from);
    if (state.jobId !== spec.job_id) throw new BoraError("conflict:checkpoint", `${spec.resume_from} belongs to job ${state.jobId}, not ${spec.job_id}`);
    if (state.step > spec.hyperparameters.training_steps) throw new BoraError("conflict:checkpoint", `${spec.resume_from} is past training_steps`);
    return state;
  }
  const vocabulary = buildVocabulary(trainingTexts);
  const rng = createRng(seedFrom(spec.job_id));
  const model = createModel({ vocabulary: vocabulary.length, ...defaultShape }, rng);
  const empty = (): LossWindow => ({ sum: 0, count: 0 });
  return { jobId: spec.job_id, step: 0, trainedTokens: 0, vocabulary, model, adam: createAdam(model.params.length), rngState: rng.state, progressWindow: empty(), checkpointWindow: empty() };
}

function takeMean(window: LossWindow): number {
  const mean = window.count ? window.sum / window.count : NaN;
  window.sum = 0;
  window.count = 0;
  return mean;
}

export async function train(spec: TrainerSpec, options: TrainOptions): Promise<DoneEvent> {
  const log = options.log ?? (() => {});
  const hp = spec.hyperparameters;
  const trainingTexts = await Promise.all(spec.training_files.map((f) => readConversationText(f.path)));
  const validationTexts = await Promise.all(spec.validation_files.map(readConversationText));
  const state = await initialState(spec, trainingTexts);
  const { model, vocabulary } = state;

  const sources: Source[] = spec.training_files
    .map((f, i) => ({ ids: encode(trainingTexts[i]!, vocabulary), weight: f.weight }))
    .filter((s) => s.weight > 0 && s.ids.length > 0);
  if (!sources.length) throw new BoraError("unprocessable:training_file", "the weighted training files hold no conversations");
  const validationIds = encode(validationTexts.join(""), vocabulary).slice(0, MAX_VALIDATION_CHARS);
  const validation: Batch | null = validationIds.length ? pairsAt(validationIds, 0, validationIds.length, model.shape.context) : null;

  const total = hp.training_steps;
  const charsPerStep = Math.min(MAX_CHARS_PER_STEP, Math.max(MIN_CHARS_PER_STEP, hp.seq_len ?? DEFAULT_CHARS_PER_STEP));
  const evalEvery = Math.max(1, Math.floor(total / 10));
  const progressEvery = Math.max(1, Math.ceil(total / 50));
  const peak = hp.learning_rate * LEARNING_RATE_SCALE;
  const weightDecay = hp.weight_decay ?? defaultWeightDecay;
  const warmup = hp.warmup_fraction ?? defaultWarmupFraction;
  const layout = layoutOf(model.shape);
  // Decay the two weight matrices only: shrinking embeddings and biases toward zero helps nothing here.
  const decay: Array<[number, number]> = [[layout.w1, layout.b1], [layout.w2, layout.b2]];
  const rng = createRng(state.rngState);
  const grad = new Float32Array(model.params.length);
  log(`vocabulary ${vocabulary.length} chars, ${model.params.length} parameters, ${charsPerStep} chars per step, from step ${state.step} of ${total}`);
  if (hp.epochs !== undefined) log("epochs is not used: training_steps sets the length of the run");

  while (state.step < total) {
    // Yield every step so SIGTERM (and an abort) is noticed within one step, not at the end.
    await new Promise((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
    const step = ++state.step;
    const batch = sampleBatch(sources, charsPerStep, model.shape.context, rng);
    const loss = lossAndGradient(model, batch, grad);
    // A NaN would print as null and break the event schema; say what happened instead.
    if (!Number.isFinite(loss)) throw new BoraError("unprocessable:training", `training diverged at step ${step}; lower learning_rate`);
    adamStep(model.params, grad, state.adam, { step, learningRate: learningRateAt(step, total, peak, warmup), weightDecay, decay });
    state.rngState = rng.state;
    state.trainedTokens += batch.size;
    for (const window of [state.progressWindow, state.checkpointWindow]) {
      window.sum += loss;
      window.count++;
    }
    if (step % progressEvery === 0 || step === total) {
      options.emit({ type: "progress", step, total_steps: total, train_loss: takeMean(state.progressWindow) });
    }
    if (step % evalEvery === 0 || step === total) {
      const trainLoss = takeMean(state.checkpointWindow);
      const valid = validation ? evaluate(model, validation) : null;
      const file = path.join(spec.output_dir, `checkpoint-${step}.json`);
      await writeCheckpoint(file, state);
      options.emit({ type: "checkpoint", step, train_loss: trainLoss, valid_loss: valid?.loss ?? null, valid_mean_token_accuracy: valid?.accuracy ?? null, path: file });
    }
  }
  return { type: "done", model: modelName(spec), trained_tokens: state.trainedTokens };
}
