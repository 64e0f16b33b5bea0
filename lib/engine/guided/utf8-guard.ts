// Guided answers and UTF-8 (see below): token biases that keep SentencePiece byte tokens to
// valid UTF-8 where a grammar alone cannot.
import type { LlamaModel, Token, TokenBias } from "node-llama-cpp";

/**
 * A grammar sees code points, not bytes, and llama.cpp's UTF-8 decoder accepts overlong forms:
 * F0 82 82 AC passes as "€", E0 80 BB as "{", C1 81 as "A"; they come out as replacement
 * characters (the demo model found this within a few hundred answers). For SentencePiece byte
 * tokens we keep the bytes valid: <0xC0>, <0xC1> and <0xF5>…<0xFF> never (a canonical form of
 * the same character always exists); <0xE0> and <0xF0>, the leads of overlong forms, only when
 * nothing else fits; and after them not the continuation bytes that make a form overlong
 * (80–9F, 80–8F) unless nothing else fits. "Only when nothing else fits" is a logit of -100: a
 * grammar that allows only that token still gets it (an outright ban there fails the decode).
 */
export type Utf8Guard = { base: TokenBias; after: Map<Token, TokenBias> };

const unlikely = { logit: -100 };

export function utf8Guard(model: LlamaModel, TokenBiasClass: typeof TokenBias): Utf8Guard | undefined {
  // Byte tokens detokenize to their lone byte; SentencePiece lists all 256 in byte order.
  const bytes = [...model.iterateAllTokens()].filter((t) => model.getTokenAttributes(t).byte);
  if (bytes.length !== 256) return undefined;
  const bias = (overlong: (byte: number) => boolean) => {
    const b = new TokenBiasClass(model.tokenizer);
    bytes.forEach((token, byte) => {
      if (byte === 0xc0 || byte === 0xc1 || byte >= 0xf5) b.set(token, "never");
      else if (byte === 0xe0 || byte === 0xf0 || overlong(byte)) b.set(token, unlikely);
    });
    return b;
  };
  const after = new Map<Token, TokenBias>([
    [bytes[0xe0]!, bias((b) => b >= 0x80 && b <= 0x9f)],
    [bytes[0xf0]!, bias((b) => b >= 0x80 && b <= 0x8f)],
  ]);
  return { base: bias(() => false), after };
}
