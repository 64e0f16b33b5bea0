// How a conversation becomes the text the character model learns, and how a prompt for serving is
// written in the same shape. Each message is START role "\n" content END; control characters mark
// the edges because they never occur in ordinary content, so the model learns them as boundaries
// and a generator can stop at END.
import { z } from "zod";

export const MESSAGE_START = "\u0002";
export const MESSAGE_END = "\u0003";

// Content is a string, an array of chunks (only text chunks carry text), or null on an assistant
// message that only calls tools; unknown fields are kept out of the way, not rejected.
const contentSchema = z.union([
  z.string(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).loose()),
  z.null(),
]);

export const messageSchema = z
  .object({
    role: z.enum(["system", "user", "assistant", "tool"]),
    content: contentSchema.optional(),
    tool_calls: z.array(z.unknown()).nullish(),
  })
  .loose();

export const conversationSchema = z.object({ messages: z.array(messageSchema).min(1) }).loose();

export type Message = z.infer<typeof messageSchema>;

function contentText(content: Message["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((chunk) => chunk.text ?? "").join("");
}

export function renderMessage(message: Message): string {
  // Tool calls are text the assistant produced, so the model should learn them too.
  const calls = message.tool_calls?.length ? JSON.stringify(message.tool_calls) : "";
  return `${MESSAGE_START}${message.role}\n${contentText(message.content)}${calls}${MESSAGE_END}`;
}

export function renderConversation(messages: Message[]): string {
  return messages.map(renderMessage).join("");
}

/** The conversation so far plus an open assistant message: what `generate` continues. */
export function renderPrompt(messages: Message[]): string {
  return `${renderConversation(messages)}${MESSAGE_START}assistant\n`;
}
