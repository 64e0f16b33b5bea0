// Reading the audit trail of a workspace.
import { desc, eq } from "drizzle-orm";
import { auditLog, users } from "@/db/schema";
import type { Executor, WorkspaceContext } from "./context";

export async function listAudit(db: Executor, ctx: WorkspaceContext, { limit = 50 }: { limit?: number } = {}) {
  return db
    .select({ id: auditLog.id, action: auditLog.action, actorVia: auditLog.actorVia, targetType: auditLog.targetType, targetId: auditLog.targetId, createdAt: auditLog.createdAt, actorEmail: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(eq(auditLog.workspaceId, ctx.workspace.id))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
