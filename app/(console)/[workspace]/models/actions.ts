"use server";
// Adding model aliases: for instance administrators (the service checks it).
import { revalidatePath } from "next/cache";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { addModel, addModelInput } from "@/lib/services/models";

export const addModelAction = workspaceAction
  .metadata({ permission: "models:read" })
  .inputSchema(addModelInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    const model = await addModel(ctx.db, ctx.actor, input);
    revalidatePath(`/${ctx.scope.workspace.slug}/models`);
    return { alias: model.alias };
  });
