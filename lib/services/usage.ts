// Recent usage events of a workspace, newest first, a page at a time (cursor, never offset):
// the CLI's `usage list` and the dashboard's request log.
import { and, desc, eq, gte, lt } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, usageEvents } from "@/db/schema";
import type { Executor, WorkspaceContext } from "./context";

export const listUsageInput = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  // Cursor: events with an id below this one (the last id of the previous page).
  before: z.coerce.number().int().positive().optional(),
  key: z.uuid().optional(),
  model: z.string().min(1).optional(),
});

export type EventPage = { limit: number; before?: number; key?: string; model?: string; from?: Date; to?: Date };

/** One page of a workspace's events, newest first, with their key's name: the log and the raw export. */
export async function usageEventsPage(db: Executor, ctx: WorkspaceContext, page: EventPage) {
  const rows = await db
    .select({ event: usageEvents, keyName: apiKeys.name })
    .from(usageEvents)
    .leftJoin(apiKeys, eq(apiKeys.id, usageEvents.apiKeyId))
    .where(
      and(
        eq(usageEvents.workspaceId, ctx.workspace.id),
        page.from ? gte(usageEvents.createdAt, page.from) : undefined,
        page.to ? lt(usageEvents.createdAt, page.to) : undefined,
        page.before ? lt(usageEvents.id, page.before) : undefined,
        page.key ? eq(usageEvents.apiKeyId, page.key) : undefined,
        page.model ? eq(usageEvents.model, page.model) : undefined,
      ),
    )
    .orderBy(desc(usageEvents.id))
    .limit(page.limit);
  return rows.map(({ event, keyName }) => ({ ...event, keyName, cost: event.costNanos / 1e9 }));
}

export async function listUsage(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof listUsageInput> = {}) {
  return usageEventsPage(db, ctx, listUsageInput.parse(raw));
}
