// Recent usage events of a workspace, newest first, a page at a time (cursor, never offset):
// the CLI's `usage list` and the dashboard's request log.
import { and, desc, eq, lt } from "drizzle-orm";
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

export async function listUsage(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof listUsageInput> = {}) {
  const input = listUsageInput.parse(raw);
  const rows = await db
    .select({ event: usageEvents, keyName: apiKeys.name })
    .from(usageEvents)
    .leftJoin(apiKeys, eq(apiKeys.id, usageEvents.apiKeyId))
    .where(
      and(
        eq(usageEvents.workspaceId, ctx.workspace.id),
        input.before ? lt(usageEvents.id, input.before) : undefined,
        input.key ? eq(usageEvents.apiKeyId, input.key) : undefined,
        input.model ? eq(usageEvents.model, input.model) : undefined,
      ),
    )
    .orderBy(desc(usageEvents.id))
    .limit(input.limit);
  return rows.map(({ event, keyName }) => ({ ...event, keyName, cost: event.costNanos / 1e9 }));
}
