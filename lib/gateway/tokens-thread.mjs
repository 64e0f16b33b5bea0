// The token-counting thread (tokens-off-thread.ts runs it through a piscina pool): Mistral's
// tokenizers, and the fine-tuning dataset check that counts with them, run here rather than on
// the event loop that serves /v1. Plain JavaScript that loads the TypeScript modules through
// tsx's API, so the thread starts the same way under `npm start`, the CLI and the tests.
import { tsImport } from "tsx/esm/api";

const tokens = await tsImport("./tokens.ts", import.meta.url);
const datasets = await tsImport("../datasets/validate.ts", import.meta.url);

/** Tokens of all of `texts` together, with `model`'s tokenizer. */
export function count({ model, texts }) {
  return tokens.countAllTokens(model, texts);
}

/** A fine-tuning dataset's report (lib/datasets/validate.ts), counted with `model`'s tokenizer. */
export function validate({ text, model, maxErrors }) {
  return datasets.validateDataset(text, { countTokens: (t) => tokens.countTokens(model, t), maxErrors });
}
