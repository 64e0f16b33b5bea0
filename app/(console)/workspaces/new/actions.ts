"use server";
import { signedInAction } from "@/lib/auth/action-client";
import { createWorkspace, createWorkspaceInput } from "@/lib/services/workspaces";

export const createWorkspaceAction = signedInAction.metadata({}).inputSchema(createWorkspaceInput).action(async ({ parsedInput, ctx }) => {
  const workspace = await createWorkspace(ctx.db, ctx.actor, parsedInput);
  return { slug: workspace.slug };
});
