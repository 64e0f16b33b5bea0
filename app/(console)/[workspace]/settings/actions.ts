"use server";
// Workspace settings: name, data residency policy, the time zone budgets reset in, and the
// workspace's own limits and monthly spend cap.
import { revalidatePath } from "next/cache";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { getSecret } from "@/lib/auth/secret";
import { budgetInput, setWorkspaceBudget, setWorkspaceLimits, workspaceLimitsInput } from "@/lib/services/workspace-budget";
import { updateWorkspace, updateWorkspaceInput } from "@/lib/services/workspaces";

export const updateWorkspaceAction = workspaceAction
  .metadata({ permission: "workspace:update" })
  .inputSchema(updateWorkspaceInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...changes }, ctx }) => {
    await updateWorkspace(ctx.db, ctx.scope, changes);
    revalidatePath(`/${ctx.scope.workspace.slug}`, "layout");
    return { saved: true };
  });

export const setWorkspaceLimitsAction = workspaceAction
  .metadata({ permission: "workspace:update" })
  .inputSchema(workspaceLimitsInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    await setWorkspaceLimits(ctx.db, ctx.scope, input);
    revalidatePath(`/${ctx.scope.workspace.slug}/settings`);
    return { saved: true };
  });

export const setWorkspaceBudgetAction = workspaceAction
  .metadata({ permission: "workspace:update" })
  .inputSchema(budgetInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    await setWorkspaceBudget(ctx.db, ctx.scope, input, getSecret());
    revalidatePath(`/${ctx.scope.workspace.slug}`, "layout");
    return { saved: true };
  });
