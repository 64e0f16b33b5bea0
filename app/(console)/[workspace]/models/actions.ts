"use server";
// Adding model aliases: for instance administrators (the service checks it).
import { revalidatePath } from "next/cache";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { z } from "zod";
import { localEngine } from "@/lib/engine";
import { scanLocalModels } from "@/lib/engine/discovery";
import { deleteLocalModel, loadLocalModel, unloadLocalModel } from "@/lib/services/local-models";
import { addModel, addModelInput } from "@/lib/services/models";

export const addModelAction = workspaceAction
  .metadata({ permission: "models:read" })
  .inputSchema(addModelInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    const model = await addModel(ctx.db, ctx.actor, input);
    revalidatePath(`/${ctx.scope.workspace.slug}/models`);
    return { alias: model.alias };
  });

// The local engine's files: rescan the models dir, load, unload, delete (the services check for
// an instance administrator).
const fileInput = z.object({ file: z.string().min(1) }).extend(workspaceField);
const done = (slug: string) => revalidatePath(`/${slug}/models`);

export const rescanLocalModelsAction = workspaceAction
  .metadata({ permission: "models:read" })
  .inputSchema(z.object(workspaceField))
  .action(async ({ ctx }) => {
    const result = await scanLocalModels(ctx.db, ctx.actor, localEngine().modelsDir);
    done(ctx.scope.workspace.slug);
    return result;
  });

export const loadLocalModelAction = workspaceAction
  .metadata({ permission: "models:read" })
  .inputSchema(fileInput)
  .action(async ({ parsedInput, ctx }) => {
    const state = await loadLocalModel(ctx.actor, parsedInput.file);
    done(ctx.scope.workspace.slug);
    return state;
  });

export const unloadLocalModelAction = workspaceAction
  .metadata({ permission: "models:read" })
  .inputSchema(fileInput)
  .action(async ({ parsedInput, ctx }) => {
    await unloadLocalModel(ctx.actor, parsedInput.file);
    done(ctx.scope.workspace.slug);
  });

export const deleteLocalModelAction = workspaceAction
  .metadata({ permission: "models:read" })
  .inputSchema(fileInput)
  .action(async ({ parsedInput, ctx }) => {
    await deleteLocalModel(ctx.db, ctx.actor, parsedInput.file);
    done(ctx.scope.workspace.slug);
  });
