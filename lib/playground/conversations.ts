// Conversations kept from the playground: each member's own, saved after every answer and edit,
// listed most recent first and reopened with their settings. Another member, even an admin of
// the same workspace, gets not-found: they are drafts, not shared work (presets are for that).
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { playgroundConversations } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import type { Executor, WorkspaceContext } from "@/lib/services/context";
import { isUuid } from "./ids";
import { keptMessages, maxConversationChars, playgroundMessage, playgroundSettings, titleFrom, type Message, type Settings } from "./settings";

export const saveConversationInput = z.object({
  // Absent: a new conversation. Present: one of the member's own, replaced whole.
  id: z.string().optional(),
  settings: playgroundSettings,
  messages: z.array(playgroundMessage).min(1, "There is nothing to keep yet.").max(500, "500 messages at most."),
});
export const renameConversationInput = z.object({ id: z.string(), title: z.string().trim().min(1, "Give the conversation a title.").max(120, "120 characters at most.") });
export const conversationIdInput = z.object({ id: z.string() });

export type ConversationSummary = { id: string; title: string; model: string; updatedAt: Date };
export type Conversation = ConversationSummary & { settings: Settings; messages: Message[] };

const stored = z.object({ settings: playgroundSettings, messages: z.array(playgroundMessage) });
const summaryColumns = { id: playgroundConversations.id, title: playgroundConversations.title, model: playgroundConversations.model, updatedAt: playgroundConversations.updatedAt };

/** Only the author's own row in this workspace matches; everything else is not found. */
const own = (ctx: WorkspaceContext, id: string) => and(eq(playgroundConversations.id, id), eq(playgroundConversations.workspaceId, ctx.workspace.id), eq(playgroundConversations.userId, ctx.user.id));

function notFound() {
  return new BoraError("not_found:conversation", "Conversation not found. It may have been deleted.");
}

export async function listConversations(db: Executor, ctx: WorkspaceContext, opts: { limit?: number } = {}): Promise<ConversationSummary[]> {
  return db
    .select(summaryColumns)
    .from(playgroundConversations)
    .where(and(eq(playgroundConversations.workspaceId, ctx.workspace.id), eq(playgroundConversations.userId, ctx.user.id)))
    .orderBy(desc(playgroundConversations.updatedAt))
    .limit(opts.limit ?? 50);
}

export async function getConversation(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof conversationIdInput>): Promise<Conversation> {
  const { id } = conversationIdInput.parse(raw);
  if (!isUuid(id)) throw notFound();
  const [row] = await db.select().from(playgroundConversations).where(own(ctx, id)).limit(1);
  if (!row) throw notFound();
  const data = stored.safeParse(row.data);
  // Data a later playground cannot read still opens, with its settings reset.
  const { settings, messages } = data.success ? data.data : { settings: playgroundSettings.parse({ model: row.model }), messages: [] };
  return { id: row.id, title: row.title, model: row.model, updatedAt: row.updatedAt, settings, messages };
}

export async function saveConversation(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof saveConversationInput>): Promise<ConversationSummary> {
  const input = saveConversationInput.parse(raw);
  const data = { settings: input.settings, messages: keptMessages(input.messages) };
  const size = JSON.stringify(data).length;
  if (size > maxConversationChars) throw new BoraError("payload_too_large:conversation", `This conversation is too large to keep (${Math.round(size / 1024)} KB of ${maxConversationChars / 1024} KB). Start a new one to keep going.`);
  if (input.id === undefined) {
    const [row] = await db
      .insert(playgroundConversations)
      .values({ workspaceId: ctx.workspace.id, userId: ctx.user.id, title: titleFrom(data.messages), model: data.settings.model, data })
      .returning(summaryColumns);
    return row!;
  }
  if (!isUuid(input.id)) throw notFound();
  // The title stays as it was (first question, or as renamed); the rest follows the playground.
  const [row] = await db.update(playgroundConversations).set({ model: data.settings.model, data, updatedAt: new Date() }).where(own(ctx, input.id)).returning(summaryColumns);
  if (!row) throw notFound();
  return row;
}

export async function renameConversation(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof renameConversationInput>): Promise<ConversationSummary> {
  const { id, title } = renameConversationInput.parse(raw);
  if (!isUuid(id)) throw notFound();
  const [row] = await db.update(playgroundConversations).set({ title }).where(own(ctx, id)).returning(summaryColumns);
  if (!row) throw notFound();
  return row;
}

export async function deleteConversation(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof conversationIdInput>): Promise<void> {
  const { id } = conversationIdInput.parse(raw);
  if (!isUuid(id)) throw notFound();
  const [row] = await db.delete(playgroundConversations).where(own(ctx, id)).returning({ id: playgroundConversations.id });
  if (!row) throw notFound();
}
