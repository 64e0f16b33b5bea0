"use server";
// Workspace settings: name, data residency policy and the time zone budgets reset in.
import { revalidatePath } from "next/cache";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { updateWorkspace, updateWorkspaceInput } from "@/lib/services/workspaces";

export const updateWorkspaceAction = workspaceAction
  .metadata({ permission: "workspace:update" })
  .inputSchema(updateWorkspaceInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...changes }, ctx }) => {
    await updateWorkspace(ctx.db, ctx.scope, changes);
    revalidatePath(`/${ctx.scope.workspace.slug}`, "layout");
    return { saved: true };
  });
