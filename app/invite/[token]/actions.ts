"use server";
// Accepting an invitation: as the signed-in person, or by creating an account with the link.
import { z } from "zod";
import { actionClient, signedInAction } from "@/lib/auth/action-client";
import { getDb } from "@/lib/db/client";
import { acceptInvitation, acceptInvitationAsNewUser, signUpInput } from "@/lib/services/invitations";

export const acceptInvitationAction = signedInAction.metadata({}).inputSchema(z.object({ token: z.string().min(1) })).action(async ({ parsedInput, ctx }) => {
  return acceptInvitation(ctx.db, ctx.actor, parsedInput.token);
});

// No session needed: the invitation token is the credential, and it works once.
export const signUpWithInvitationAction = actionClient
  .metadata({})
  .inputSchema(signUpInput.extend({ token: z.string().min(1) }))
  .action(async ({ parsedInput: { token, ...account } }) => acceptInvitationAsNewUser(await getDb(), token, account));
