// Counts the tokens of one valid instruct line with a caller-given counter: the server passes the
// model's real tokenizer, the browser and CLI may pass an estimate.
import type { InstructLine } from "./instruct-line";

export type CountTokens = (text: string) => number;

// The default when no tokenizer is given: about 4 characters a token, Mistral's vocabularies' rough
// average on English prose. It counts UTF-16 code units, so it is an estimate for the wizard's
// instant feedback, never a number to bill on.
export const estimateTokens: CountTokens = (text) => Math.ceil(text.length / 4);

// The control tokens the chat template puts around each message ([INST], [/INST], </s> and the like).
export const MESSAGE_OVERHEAD_TOKENS = 3;

export function countLineTokens(line: InstructLine, countTokens: CountTokens): number {
  let tokens = 0;
  for (const message of line.messages) {
    tokens += MESSAGE_OVERHEAD_TOKENS;
    const content = message.content;
    if (typeof content === "string") tokens += countTokens(content);
    else if (Array.isArray(content)) for (const chunk of content) tokens += countTokens(chunk.text);
    if (message.role === "assistant" && message.tool_calls && message.tool_calls.length > 0) {
      tokens += countTokens(JSON.stringify(message.tool_calls));
    }
  }
  // The tool definitions are rendered once per sample ([AVAILABLE_TOOLS]).
  if (line.tools && line.tools.length > 0) tokens += countTokens(JSON.stringify(line.tools));
  return tokens;
}
