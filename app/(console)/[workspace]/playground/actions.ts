"use server";
// The playground's one mutation: add the conversation to a named dataset for fine-tuning.
import { revalidatePath } from "next/cache";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { appendInput, appendToDataset } from "@/lib/datasets/append";
import { fileStore } from "@/lib/files/current-store";

export const addToDatasetAction = workspaceAction
  .metadata({ permission: "jobs:manage" })
  .inputSchema(appendInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    const result = await appendToDataset(ctx.db, fileStore(), { workspaceId: ctx.scope.workspace.id, userId: ctx.scope.user.id }, input);
    revalidatePath(`/${ctx.scope.workspace.slug}/files`);
    return result;
  });
