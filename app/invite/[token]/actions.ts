"use server";
import { z } from "zod";
import { signedInAction } from "@/lib/auth/action-client";
import { acceptInvitation } from "@/lib/services/invitations";

export const acceptInvitationAction = signedInAction.metadata({}).inputSchema(z.object({ token: z.string().min(1) })).action(async ({ parsedInput, ctx }) => {
  return acceptInvitation(ctx.db, ctx.actor, parsedInput.token);
});
