// Checkpoint files: everything a resumed run needs to continue exactly as the uninterrupted run
// would have (weights, optimizer moments, random state, loss accumulators), and everything serving
// needs (weights, shape, vocabulary). Tensors are base64 of little-endian float32, which is exact
// and a quarter the size of the same numbers as JSON text.
import { readFile, rename, writeFile } from "node:fs/promises";
import { z } from "zod";
import { BoraError } from "../../errors";
import { layoutOf, type Model, type ModelShape } from "./model";
import type { AdamState } from "./optimizer";

const FORMAT = "bora-reference-trainer/1";

/** Sum and count of batch losses since a report, so a report's mean survives a restart. */
export type LossWindow = { sum: number; count: number };

export type TrainingState = {
  jobId: string;
  step: number;
  trainedTokens: number;
  vocabulary: string[];
  model: Model;
  adam: AdamState;
  rngState: number;
  progressWindow: LossWindow;
  checkpointWindow: LossWindow;
};

const lossWindowSchema = z.object({ sum: z.number(), count: z.number().int().nonnegative() });
const checkpointSchema = z.object({
  format: z.literal(FORMAT),
  job_id: z.string(),
  step: z.number().int().nonnegative(),
  trained_tokens: z.number().int().nonnegative(),
  vocabulary: z.array(z.string()).min(2),
  shape: z.object({ vocabulary: z.number().int(), context: z.number().int(), embedding: z.number().int(), hidden: z.number().int() }),
  rng_state: z.number().int(),
  progress_window: lossWindowSchema,
  checkpoint_window: lossWindowSchema,
  params: z.string(),
  adam_m: z.string(),
  adam_v: z.string(),
});

function toBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
}

function fromBase64(text: string, length: number, file: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength !== length * 4) throw new BoraError("unprocessable:checkpoint", `${file}: tensor size does not match the model shape`);
  // Copied into a fresh buffer: a Buffer's offset into its pool need not be 4-byte aligned.
  return new Float32Array(new Uint8Array(bytes).buffer);
}

export async function writeCheckpoint(file: string, state: TrainingState): Promise<void> {
  const body = {
    format: FORMAT,
    job_id: state.jobId,
    step: state.step,
    trained_tokens: state.trainedTokens,
    vocabulary: state.vocabulary,
    shape: state.model.shape,
    rng_state: state.rngState,
    progress_window: state.progressWindow,
    checkpoint_window: state.checkpointWindow,
    params: toBase64(state.model.params),
    adam_m: toBase64(state.adam.m),
    adam_v: toBase64(state.adam.v),
  };
  // Written aside and renamed, so a cancel mid-write never leaves a truncated checkpoint behind.
  await writeFile(`${file}.tmp`, JSON.stringify(body));
  await rename(`${file}.tmp`, file);
}

export async function readCheckpoint(file: string): Promise<TrainingState> {
  let parsed: z.infer<typeof checkpointSchema>;
  try {
    parsed = checkpointSchema.parse(JSON.parse(await readFile(file, "utf8")));
  } catch (e) {
    throw new BoraError("unprocessable:checkpoint", `${file} is not a reference trainer checkpoint: ${(e as Error).message}`);
  }
  const shape: ModelShape = parsed.shape;
  if (shape.vocabulary !== parsed.vocabulary.length) throw new BoraError("unprocessable:checkpoint", `${file}: vocabulary does not match the model shape`);
  const size = layoutOf(shape).size;
  return {
    jobId: parsed.job_id,
    step: parsed.step,
    trainedTokens: parsed.trained_tokens,
    vocabulary: parsed.vocabulary,
    model: { shape, params: fromBase64(parsed.params, size, file) },
    adam: { m: fromBase64(parsed.adam_m, size, file), v: fromBase64(parsed.adam_v, size, file) },
    rngState: parsed.rng_state >>> 0,
    progressWindow: parsed.progress_window,
    checkpointWindow: parsed.checkpoint_window,
  };
}
