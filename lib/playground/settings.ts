// The playground's chat settings and messages as kept in presets and conversations. Shared by the
// browser (which holds them) and the services (which check them before storing), so both agree.
import { z } from "zod";

const formats = ["text", "json_object", "json_schema"] as const;
const toolChoices = ["auto", "any", "none"] as const;

// Stored rows may predate a field: each one has a default, so old settings still open.
export const playgroundSettings = z.object({
  model: z.string().trim().min(1, "Choose a model.").max(200),
  system: z.string().max(100_000, "The system prompt is too long (100,000 characters at most).").default(""),
  temperature: z.number().min(0, "Temperature is between 0 and 1.5.").max(1.5, "Temperature is between 0 and 1.5.").default(0.7),
  topP: z.number().min(0, "Top P is between 0 and 1.").max(1, "Top P is between 0 and 1.").default(1),
  // As typed in the form: "" means the model's own limit or no seed.
  maxTokens: z.string().max(12).default(""),
  seed: z.string().max(20).default(""),
  format: z.enum(formats).default("text"),
  schema: z.string().max(100_000).default(""),
  tools: z.string().max(100_000).default(""),
  toolChoice: z.enum(toolChoices).default("auto"),
});
export type Settings = z.infer<typeof playgroundSettings>;

const toolCall = z.object({ id: z.string().max(200), name: z.string().max(200), arguments: z.string().max(100_000) });

export const playgroundMessage = z.object({
  role: z.enum(["user", "assistant", "tool"], "A message is from the user, the assistant or a tool."),
  content: z.string().max(500_000),
  images: z.array(z.string()).max(8).optional(),
  // Images too large to keep (see keptImages): counted, so the reopened message can say so.
  omittedImages: z.number().int().min(0).optional(),
  toolCalls: z.array(toolCall).max(64).optional(),
  toolCallId: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
});
export type Message = z.infer<typeof playgroundMessage>;

/**
 * A kept image is at most this long as a data URL (about 190 KB of picture). Larger ones are
 * sent to the model but not stored: a conversation is rewritten on every answer and travels in
 * a server action's body (1 MB), so a few photos would make each save heavy or fail.
 * Image links (http/https) are short and always kept.
 */
export const maxKeptImageChars = 256 * 1024;

/** A conversation's whole stored data stays under this, within a server action's 1 MB body. */
export const maxConversationChars = 900 * 1024;

/** The messages as they are kept: oversized data-URL images dropped and counted. */
export function keptMessages(messages: Message[]): Message[] {
  return messages.map((m) => {
    if (!m.images?.length) return m;
    const kept = m.images.filter((src) => !src.startsWith("data:") || src.length <= maxKeptImageChars);
    const omitted = m.images.length - kept.length;
    if (!omitted) return m;
    const { images: _all, ...rest } = m;
    return { ...rest, ...(kept.length ? { images: kept } : {}), omittedImages: (m.omittedImages ?? 0) + omitted };
  });
}

/** A conversation's title: its first question, on one line and short. */
export function titleFrom(messages: Message[]): string {
  const first = messages.find((m) => m.role === "user")?.content.replace(/\s+/g, " ").trim() ?? "";
  if (!first) return "Untitled conversation";
  return first.length > 80 ? `${first.slice(0, 79)}…` : first;
}
