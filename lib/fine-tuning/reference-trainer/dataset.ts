// Training data for the character model: JSONL conversations rendered to text, a character
// vocabulary, and batches of (context, next character) pairs drawn from the files by weight.
import { readFile } from "node:fs/promises";
import { BoraError } from "../../errors";
import { nextFloat, nextInt, type Rng } from "./rng";
import { conversationSchema, renderConversation } from "./transcript";

/** Index 0 stands for any character outside the vocabulary and pads contexts before the text starts. */
export const PAD = 0;
// The output layer costs hidden × vocabulary per character; rare characters beyond this share PAD.
const MAX_VOCABULARY = 256;
// A batch is several short windows rather than one long one: neighbouring characters are correlated.
const WINDOW_CHARS = 16;

export type Batch = { contexts: Int32Array; targets: Int32Array; size: number };
export type Source = { ids: Int32Array; weight: number };

export async function readConversationText(filePath: string): Promise<string> {
  let raw: string;
  try {
    raw = await readFile(filePath, "utf8");
  } catch (e) {
    throw new BoraError("unprocessable:training_file", `cannot read ${filePath}: ${(e as Error).message}`);
  }
  const parts: string[] = [];
  raw.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new BoraError("unprocessable:training_file", `${filePath}:${index + 1}: not JSON`);
    }
    const conversation = conversationSchema.safeParse(parsed);
    if (!conversation.success) {
      throw new BoraError("unprocessable:training_file", `${filePath}:${index + 1}: not a conversation: ${conversation.error.issues[0]?.message}`);
    }
    parts.push(renderConversation(conversation.data.messages));
  });
  return parts.join("");
}

/** The most frequent characters, ties broken by code point so the same text gives the same vocabulary. */
export function buildVocabulary(texts: string[]): string[] {
  const counts = new Map<string, number>();
  for (const text of texts) for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].codePointAt(0)! - b[0].codePointAt(0)!);
  const kept = ranked.slice(0, MAX_VOCABULARY - 1).map(([ch]) => ch);
  return ["", ...kept.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!)];
}

export function encode(text: string, vocabulary: string[]): Int32Array {
  const index = new Map(vocabulary.map((ch, i) => [ch, i]));
  return Int32Array.from(Array.from(text), (ch) => index.get(ch) ?? PAD);
}

/** Pairs for predicting ids[from..to) each from the `context` characters before it. */
export function pairsAt(ids: Int32Array, from: number, to: number, context: number): Batch {
  const size = to - from;
  const contexts = new Int32Array(size * context);
  const targets = ids.slice(from, to);
  for (let b = 0; b < size; b++) {
    for (let k = 0; k < context; k++) {
      const at = from + b - context + k;
      contexts[b * context + k] = at >= 0 ? ids[at]! : PAD;
    }
  }
  return { contexts, targets, size };
}

/**
 * About `chars` positions in windows, each from a file chosen with probability proportional to
 * weight × length, so equal weights mean every character of the data is equally likely.
 */
export function sampleBatch(sources: Source[], chars: number, context: number, rng: Rng): Batch {
  const mass = sources.map((s) => s.weight * s.ids.length);
  const total = mass.reduce((a, b) => a + b, 0);
  const windows: Batch[] = [];
  for (let remaining = chars; remaining > 0; remaining -= WINDOW_CHARS) {
    let pick = nextFloat(rng) * total;
    let source = sources[0]!;
    for (let i = 0; i < sources.length; i++) {
      source = sources[i]!;
      if ((pick -= mass[i]!) < 0) break;
    }
    const length = Math.min(WINDOW_CHARS, remaining, source.ids.length);
    const start = nextInt(rng, source.ids.length - length + 1);
    windows.push(pairsAt(source.ids, start, start + length, context));
  }
  return concatBatches(windows, context);
}

function concatBatches(batches: Batch[], context: number): Batch {
  const size = batches.reduce((n, b) => n + b.size, 0);
  const contexts = new Int32Array(size * context);
  const targets = new Int32Array(size);
  let at = 0;
  for (const b of batches) {
    contexts.set(b.contexts, at * context);
    targets.set(b.targets, at);
    at += b.size;
  }
  return { contexts, targets, size };
}
