"use server";
// Providers: add one (its key is sealed before it is stored) and check that one answers.
// Instance administrators only; the services check it.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { getSecret } from "@/lib/auth/secret";
import { checkProvider } from "@/lib/services/provider-check";
import { addProvider, addProviderInput } from "@/lib/services/providers";

const action = workspaceAction.metadata({ permission: "models:read" });

export const addProviderAction = action.inputSchema(addProviderInput.extend(workspaceField)).action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
  const provider = await addProvider(ctx.db, ctx.actor, input, getSecret());
  revalidatePath(`/${ctx.scope.workspace.slug}/providers`);
  return { name: provider.name };
});

export const checkProviderAction = action.inputSchema(z.object({ name: z.string().min(1), ...workspaceField })).action(async ({ parsedInput, ctx }) => {
  return checkProvider(ctx.db, ctx.actor, parsedInput.name, getSecret());
});
