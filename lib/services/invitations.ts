// Invitation links: a random token shown once in a link, stored as its SHA-256, valid until it
// expires and for one use only.
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { invitations, memberships, workspaces, type Invitation, type Role } from "@/db/schema";
import { randomToken, sha256 } from "@/lib/auth/tokens";
import { BoraError } from "@/lib/errors";
import { recordAudit } from "./audit";
import type { Actor, Executor, WorkspaceContext } from "./context";
import { roleSchema } from "./members";
import { createUserInput, emailSchema, findUserByEmail, insertUser } from "./users";

export const createInvitationInput = z.object({
  email: z.union([z.literal(""), emailSchema]).optional(),
  role: roleSchema,
  // Links are credentials: a week at most, a day by default.
  expiresInHours: z.coerce.number().int().min(1, "At least one hour.").max(168, "At most a week (168 hours).").default(24),
});

export type PendingInvitation = Pick<Invitation, "id" | "email" | "role" | "expiresAt" | "createdAt">;

export async function createInvitation(
  db: Executor,
  ctx: WorkspaceContext,
  raw: z.input<typeof createInvitationInput>,
): Promise<{ invitation: PendingInvitation; token: string }> {
  const input = createInvitationInput.parse(raw);
  if (input.role === "owner" && ctx.role !== "owner") {
    throw new BoraError("forbidden:members", "Only an owner can invite owners.", { param: "role" });
  }
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + input.expiresInHours * 3600_000);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(invitations)
      .values({ workspaceId: ctx.workspace.id, email: input.email || null, role: input.role, hashedToken: sha256(token), expiresAt, createdBy: ctx.user.id })
      .returning();
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "invitation.create", targetType: "invitation", targetId: row!.id, after: { email: row!.email, role: row!.role, expiresAt } });
    return { invitation: pick(row!), token };
  });
}

function pick(row: Invitation): PendingInvitation {
  return { id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt, createdAt: row.createdAt };
}

export async function listInvitations(db: Executor, ctx: WorkspaceContext): Promise<PendingInvitation[]> {
  const rows = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, ctx.workspace.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())))
    .orderBy(desc(invitations.createdAt));
  return rows.map(pick);
}

export async function revokeInvitation(db: Executor, ctx: WorkspaceContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, id), eq(invitations.workspaceId, ctx.workspace.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning();
    if (!row) throw new BoraError("not_found:invitation", "No pending invitation with this id.");
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "invitation.revoke", targetType: "invitation", targetId: id });
  });
}

export type InvitationPreview = { workspaceName: string; role: Role; email: string | null; expiresAt: Date };

/** What the invitation page shows before accepting; undefined when the link is not usable. */
export async function previewInvitation(db: Executor, token: string): Promise<InvitationPreview | undefined> {
  const [row] = await db
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.hashedToken, sha256(token)))
    .limit(1);
  if (!row || !usable(row.invitation)) return undefined;
  return { workspaceName: row.workspaceName, role: row.invitation.role, email: row.invitation.email, expiresAt: row.invitation.expiresAt };
}

function usable(inv: Invitation): boolean {
  return !inv.acceptedAt && !inv.revokedAt && inv.expiresAt.getTime() > Date.now();
}

export const signUpInput = createUserInput.pick({ email: true, name: true, password: true });

/** Creates an account and accepts the link in one transaction: both happen or neither. */
export async function acceptInvitationAsNewUser(db: Executor, token: string, raw: z.input<typeof signUpInput>): Promise<{ workspaceSlug: string; role: Role; email: string }> {
  const input = signUpInput.parse(raw);
  return db.transaction(async (tx) => {
    if (await findUserByEmail(tx, input.email)) {
      throw new BoraError("conflict:user", "An account with this email exists: sign in to accept instead.", { param: "email" });
    }
    const user = await insertUser(tx, { ...input, instanceAdmin: false });
    const accepted = await acceptInvitation(tx, { user, via: "console" }, token);
    return { ...accepted, email: user.email };
  });
}

/** Accepts a link for the signed-in user. The update is conditional, so a link works once even under races. */
export async function acceptInvitation(db: Executor, actor: Actor, token: string): Promise<{ workspaceSlug: string; role: Role }> {
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date(), acceptedBy: actor.user.id })
      .where(and(eq(invitations.hashedToken, sha256(token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)))
      .returning();
    if (!claimed) throw new BoraError("not_found:invitation", "This invitation link has expired or was already used. Ask for a new one.");
    if (claimed.email && claimed.email !== actor.user.email) {
      throw new BoraError("forbidden:invitation", `This invitation is for ${claimed.email}. Sign in with that account.`);
    }
    const [workspace] = await tx.select().from(workspaces).where(eq(workspaces.id, claimed.workspaceId)).limit(1);
    const [existing] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, claimed.workspaceId), eq(memberships.userId, actor.user.id)))
      .limit(1);
    // Already a member: keep the existing role rather than silently changing it.
    if (!existing) await tx.insert(memberships).values({ workspaceId: claimed.workspaceId, userId: actor.user.id, role: claimed.role });
    await recordAudit(tx, actor, { workspaceId: claimed.workspaceId, action: "invitation.accept", targetType: "invitation", targetId: claimed.id, after: { role: existing?.role ?? claimed.role } });
    return { workspaceSlug: workspace!.slug, role: existing?.role ?? claimed.role };
  });
}
