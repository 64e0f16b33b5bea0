// Reading the audit trail of a workspace: newest first, filtered by action, target, person and
// time, a page at a time by cursor (the last id seen) so deep pages cost what the first does.
import { and, desc, eq, gte, ilike, lt, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditLog, users } from "@/db/schema";
import type { Executor, WorkspaceContext } from "./context";

export const auditFilters = z.object({
  // A prefix: "api_key" matches api_key.create, api_key.rotate…
  action: z.string().trim().max(100).optional(),
  targetType: z.string().trim().max(50).optional(),
  actor: z.string().trim().max(200).optional(),
  from: z.coerce.date({ error: "Give a date such as 2026-11-01." }).optional(),
  to: z.coerce.date({ error: "Give a date such as 2026-11-30." }).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type AuditFilters = z.input<typeof auditFilters>;

export async function listAudit(db: Executor, ctx: WorkspaceContext, raw: AuditFilters = {}) {
  const f = auditFilters.parse(raw);
  const where: SQL[] = [eq(auditLog.workspaceId, ctx.workspace.id)];
  if (f.action) where.push(ilike(auditLog.action, `${f.action.replace(/[%_\\]/g, "\\$&")}%`));
  if (f.targetType) where.push(eq(auditLog.targetType, f.targetType));
  if (f.actor) where.push(f.actor === "system" ? eq(auditLog.actorVia, "system") : ilike(users.email, `%${f.actor.replace(/[%_\\]/g, "\\$&")}%`));
  if (f.from) where.push(gte(auditLog.createdAt, f.from));
  if (f.to) where.push(lte(auditLog.createdAt, f.to));
  if (f.cursor) where.push(lt(auditLog.id, f.cursor));
  const rows = await db
    .select({ id: auditLog.id, action: auditLog.action, actorVia: auditLog.actorVia, targetType: auditLog.targetType, targetId: auditLog.targetId, before: auditLog.before, after: auditLog.after, createdAt: auditLog.createdAt, actorEmail: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(f.limit);
  return rows;
}

/** The id to pass as `cursor` for the next page, or null on the last one. */
export const nextAuditCursor = (rows: { id: number }[], limit: number) => (rows.length === limit ? rows[rows.length - 1]!.id : null);
