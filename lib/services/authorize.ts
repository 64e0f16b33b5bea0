// The one check behind every door: is this user a member of that workspace with a role that
// grants the permission? Non-members get 404, not 403, so ids and slugs of other workspaces
// reveal nothing.
import { and, eq } from "drizzle-orm";
import { memberships, workspaces } from "@/db/schema";
import { roleCan, type Permission } from "@/lib/auth/permissions";
import { BoraError } from "@/lib/errors";
import type { Actor, Executor, WorkspaceContext } from "./context";

export type WorkspaceRef = { slug: string } | { id: string };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function authorize(db: Executor, actor: Actor, ref: WorkspaceRef, permission: Permission): Promise<WorkspaceContext> {
  if (actor.user.disabledAt) throw new BoraError("unauthorized:user", "This account is disabled.");
  if ("id" in ref && !uuidPattern.test(ref.id)) throw notFound();
  const where = "slug" in ref ? eq(workspaces.slug, ref.slug) : eq(workspaces.id, ref.id);
  const [row] = await db
    .select({ workspace: workspaces, role: memberships.role })
    .from(workspaces)
    .leftJoin(memberships, and(eq(memberships.workspaceId, workspaces.id), eq(memberships.userId, actor.user.id)))
    .where(where)
    .limit(1);
  // Instance administrators run the platform and act as owners of every workspace.
  const role = row?.role ?? (row && actor.user.isInstanceAdmin ? "owner" : null);
  if (!row || !role) throw notFound();
  if (!roleCan(role, permission)) {
    throw new BoraError(`forbidden:${permission.split(":")[0]}`, `Your role (${role}) does not allow ${permission}.`);
  }
  return { ...actor, workspace: row.workspace, role };
}

function notFound() {
  return new BoraError("not_found:workspace", "Workspace not found.");
}

export function requireInstanceAdmin(actor: Actor): void {
  if (!actor.user.isInstanceAdmin) throw new BoraError("forbidden:instance", "Only instance administrators can do this.");
}
