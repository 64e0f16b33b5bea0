// Writes the audit trail. Callers pass the transaction of the change so that the change and
// its record commit together or not at all.
import { auditLog } from "@/db/schema";
import type { Actor, Executor } from "./context";

export type AuditInput = {
  workspaceId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
};

export async function recordAudit(tx: Executor, actor: Actor, entry: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({
    workspaceId: entry.workspaceId ?? null,
    actorUserId: actor.user.id,
    actorVia: actor.via,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
