// Members of a workspace and their roles. Two rules beyond permissions: only owners grant,
// change or remove the owner role, and a workspace always keeps at least one owner.
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, roles, users, type Role } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import { recordAudit } from "./audit";
import type { Executor, WorkspaceContext } from "./context";
import { emailSchema, findUserByEmail } from "./users";

export const roleSchema = z.enum(roles, { message: `Role must be one of ${roles.join(", ")}.` });

export const addMemberInput = z.object({ email: emailSchema, role: roleSchema });
export const changeRoleInput = z.object({ userId: z.uuid("Unknown member."), role: roleSchema });
export const removeMemberInput = z.object({ userId: z.uuid("Unknown member.") });

export type Member = { userId: string; email: string; name: string; role: Role; joinedAt: Date };

export async function listMembers(db: Executor, ctx: WorkspaceContext): Promise<Member[]> {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, ctx.workspace.id))
    .orderBy(asc(memberships.createdAt));
}

function requireOwnerFor(ctx: WorkspaceContext, ...involved: Role[]) {
  if (involved.includes("owner") && ctx.role !== "owner") {
    throw new BoraError("forbidden:members", "Only an owner can grant, change or remove the owner role.", { param: "role" });
  }
}

/** Adds an existing user. People without an account join through an invitation link. */
export async function addMember(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof addMemberInput>): Promise<Member> {
  const input = addMemberInput.parse(raw);
  requireOwnerFor(ctx, input.role);
  return db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, input.email);
    if (!user) throw new BoraError("not_found:user", "No user has this email; send an invitation link instead.", { param: "email" });
    const [inserted] = await tx
      .insert(memberships)
      .values({ workspaceId: ctx.workspace.id, userId: user.id, role: input.role })
      .onConflictDoNothing()
      .returning();
    if (!inserted) throw new BoraError("conflict:members", "This user is already a member.", { param: "email" });
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "member.add", targetType: "user", targetId: user.id, after: { email: user.email, role: input.role } });
    return { userId: user.id, email: user.email, name: user.name, role: inserted.role, joinedAt: inserted.createdAt };
  });
}

async function lockedMembership(tx: Executor, workspaceId: string, userId: string) {
  // Lock the workspace's owner rows so that two concurrent demotions cannot both pass the
  // "another owner remains" check.
  await tx.execute(sql`select 1 from ${memberships} where ${memberships.workspaceId} = ${workspaceId} and ${memberships.role} = 'owner' for update`);
  const [row] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .limit(1);
  if (!row) throw new BoraError("not_found:member", "This person is not a member of the workspace.", { param: "userId" });
  return row;
}

async function ownerCount(tx: Executor, workspaceId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "owner")));
  return Number(row?.n ?? 0);
}

export async function changeRole(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof changeRoleInput>): Promise<void> {
  const input = changeRoleInput.parse(raw);
  await db.transaction(async (tx) => {
    const current = await lockedMembership(tx, ctx.workspace.id, input.userId);
    requireOwnerFor(ctx, current.role, input.role);
    if (current.role === input.role) return;
    if (current.role === "owner" && (await ownerCount(tx, ctx.workspace.id)) <= 1) {
      throw new BoraError("conflict:members", "A workspace needs at least one owner: make someone else owner first.", { param: "role" });
    }
    await tx.update(memberships).set({ role: input.role }).where(and(eq(memberships.workspaceId, ctx.workspace.id), eq(memberships.userId, input.userId)));
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "member.role", targetType: "user", targetId: input.userId, before: { role: current.role }, after: { role: input.role } });
  });
}

export async function removeMember(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof removeMemberInput>): Promise<void> {
  const input = removeMemberInput.parse(raw);
  await db.transaction(async (tx) => {
    const current = await lockedMembership(tx, ctx.workspace.id, input.userId);
    requireOwnerFor(ctx, current.role);
    if (current.role === "owner" && (await ownerCount(tx, ctx.workspace.id)) <= 1) {
      throw new BoraError("conflict:members", "The last owner cannot be removed.", { param: "userId" });
    }
    await tx.delete(memberships).where(and(eq(memberships.workspaceId, ctx.workspace.id), eq(memberships.userId, input.userId)));
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "member.remove", targetType: "user", targetId: input.userId, before: { role: current.role } });
  });
}
