// Sampling from a trained checkpoint, for whatever later serves reference-trained models. A prompt
// is usually `renderPrompt(messages)`; generation stops at the end-of-message marker.
import { readCheckpoint } from "./checkpoint";
import { encode, PAD } from "./dataset";
import { predict, type Model } from "./model";
import { createRng, nextFloat } from "./rng";
import { MESSAGE_END } from "./transcript";

export type TrainedModel = { model: Model; vocabulary: string[] };

export async function loadTrainedModel(checkpointPath: string): Promise<TrainedModel> {
  const { model, vocabulary } = await readCheckpoint(checkpointPath);
  return { model, vocabulary };
}

/**
 * Up to `maxChars` characters continuing `prompt`, sampled with a seeded generator so the same
 * call gives the same text. Temperature 0 takes the most likely character each time.
 */
export function generate(weights: TrainedModel, prompt: string, maxChars: number, seed: number, temperature = 1): string {
  const { model, vocabulary } = weights;
  const k = model.shape.context;
  const promptIds = encode(prompt, vocabulary);
  const context = new Int32Array(k).fill(PAD);
  context.set(promptIds.slice(-k), Math.max(0, k - promptIds.length));
  const rng = createRng(seed);
  let out = "";
  for (let n = 0; n < maxChars; n++) {
    const next = pick(predict(model, context), temperature, nextFloat(rng));
    const ch = vocabulary[next] ?? "";
    if (ch === MESSAGE_END) break;
    out += ch;
    context.copyWithin(0, 1);
    context[k - 1] = next;
  }
  return out;
}

function pick(probabilities: Float64Array, temperature: number, draw: number): number {
  // PAD (index 0) stands for unknown characters and has no text to emit, so it is never chosen.
  if (temperature <= 0) {
    let best = 1;
    for (let i = 2; i < probabilities.length; i++) if (probabilities[i]! > probabilities[best]!) best = i;
    return best;
  }
  const scaled = Array.from(probabilities, (p, i) => (i === PAD ? 0 : p ** (1 / temperature)));
  let remaining = draw * scaled.reduce((a, b) => a + b, 0);
  for (let i = 1; i < scaled.length; i++) if ((remaining -= scaled[i]!) < 0) return i;
  return scaled.length - 1;
}
