"use server";
// The playground's mutations: add the conversation to a dataset for fine-tuning, keep presets
// (shared by the workspace) and conversations (the member's own).
import { revalidatePath } from "next/cache";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { appendInput, appendToDataset } from "@/lib/datasets/append";
import { fileStore } from "@/lib/files/current-store";
import { conversationIdInput, deleteConversation, renameConversation, renameConversationInput, saveConversation, saveConversationInput } from "@/lib/playground/conversations";
import { deletePreset, deletePresetInput, savePreset, savePresetInput } from "@/lib/playground/presets";

export const addToDatasetAction = workspaceAction
  .metadata({ permission: "jobs:manage" })
  .inputSchema(appendInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    const result = await appendToDataset(ctx.db, fileStore(), { workspaceId: ctx.scope.workspace.id, userId: ctx.scope.user.id }, input);
    revalidatePath(`/${ctx.scope.workspace.slug}/files`);
    return result;
  });

// Lists of presets and conversations come with the page: refresh it after each change.
const refresh = (slug: string) => revalidatePath(`/${slug}/playground`);

export const savePresetAction = workspaceAction
  .metadata({ permission: "playground:use" })
  .inputSchema(savePresetInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    const preset = await savePreset(ctx.db, ctx.scope, input);
    refresh(ctx.scope.workspace.slug);
    return preset;
  });

export const deletePresetAction = workspaceAction
  .metadata({ permission: "playground:use" })
  .inputSchema(deletePresetInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    await deletePreset(ctx.db, ctx.scope, input);
    refresh(ctx.scope.workspace.slug);
  });

export const saveConversationAction = workspaceAction
  .metadata({ permission: "playground:use" })
  .inputSchema(saveConversationInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    const saved = await saveConversation(ctx.db, ctx.scope, input);
    refresh(ctx.scope.workspace.slug);
    return saved;
  });

export const renameConversationAction = workspaceAction
  .metadata({ permission: "playground:use" })
  .inputSchema(renameConversationInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    const renamed = await renameConversation(ctx.db, ctx.scope, input);
    refresh(ctx.scope.workspace.slug);
    return renamed;
  });

export const deleteConversationAction = workspaceAction
  .metadata({ permission: "playground:use" })
  .inputSchema(conversationIdInput.extend(workspaceField))
  .action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
    await deleteConversation(ctx.db, ctx.scope, input);
    refresh(ctx.scope.workspace.slug);
  });
