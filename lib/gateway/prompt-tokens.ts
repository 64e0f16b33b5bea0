// A request's prompt tokens two ways: estimated from its size (for limits, on every request) and
// counted with the model's tokenizer (for metering, when the upstream reports no usage). The
// count runs off the event loop when the texts are long (tokens-off-thread.ts).
import { chatTokens, estimateTokens, type Message } from "./tokens";
import { countTexts } from "./tokens-off-thread";

export type PromptTokens = { estimate(): number; count(): Promise<number> };

// Classes, not object literals of closures: tsx's keepNames renames each named closure per request.
export class ChatPrompt implements PromptTokens {
  constructor(
    private readonly model: string,
    private readonly messages: Message[],
    private readonly tools?: unknown,
  ) {}

  estimate(): number {
    return chatTokens(this.messages, this.tools, estimateTokens);
  }

  /** Each message's text (and tool calls, and tools) counted, plus the control tokens around them. */
  async count(): Promise<number> {
    const texts: string[] = [];
    const controlTokens = chatTokens(this.messages, this.tools, (text) => {
      texts.push(text);
      return 0;
    });
    return controlTokens + (await countTexts(this.model, texts));
  }
}

/** Plain texts: a FIM prompt and suffix, or embeddings inputs. */
export class TextPrompt implements PromptTokens {
  constructor(
    private readonly model: string,
    private readonly texts: string[],
  ) {}

  estimate(): number {
    return this.texts.reduce((n, t) => n + estimateTokens(t), 0);
  }

  count(): Promise<number> {
    return countTexts(this.model, this.texts);
  }
}
