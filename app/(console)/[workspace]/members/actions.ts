"use server";
// Member management: invite by link, change a role, remove someone, revoke a pending link.
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { getConfig } from "@/lib/config";
import { createInvitation, createInvitationInput, revokeInvitation } from "@/lib/services/invitations";
import { changeRole, changeRoleInput, removeMember, removeMemberInput } from "@/lib/services/members";

const manage = workspaceAction.metadata({ permission: "members:manage" });

async function origin(): Promise<string> {
  const configured = getConfig().BORA_PUBLIC_URL;
  if (configured) return configured.replace(/\/$/, "");
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host")}`;
}

export const inviteMemberAction = manage.inputSchema(createInvitationInput.extend(workspaceField)).action(async ({ parsedInput, ctx }) => {
  const { invitation, token } = await createInvitation(ctx.db, ctx.scope, parsedInput);
  revalidatePath(`/${ctx.scope.workspace.slug}/members`);
  return { link: `${await origin()}/invite/${token}`, expiresAt: invitation.expiresAt.toISOString() };
});

export const changeRoleAction = manage.inputSchema(changeRoleInput.extend(workspaceField)).action(async ({ parsedInput, ctx }) => {
  await changeRole(ctx.db, ctx.scope, parsedInput);
  revalidatePath(`/${ctx.scope.workspace.slug}/members`);
});

export const removeMemberAction = manage.inputSchema(removeMemberInput.extend(workspaceField)).action(async ({ parsedInput, ctx }) => {
  await removeMember(ctx.db, ctx.scope, parsedInput);
  revalidatePath(`/${ctx.scope.workspace.slug}/members`);
});

export const revokeInvitationAction = manage.inputSchema(z.object({ id: z.uuid(), ...workspaceField })).action(async ({ parsedInput, ctx }) => {
  await revokeInvitation(ctx.db, ctx.scope, parsedInput.id);
  revalidatePath(`/${ctx.scope.workspace.slug}/members`);
});
