"use server";
// API keys: create (the secret is returned once, to this response only) and revoke.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { createKey, createKeyInput, revokeKey, rotateKey, rotateKeyInput, updateKey, updateKeyInput } from "@/lib/services/api-keys";

const manage = workspaceAction.metadata({ permission: "keys:manage" });

export const createKeyAction = manage.inputSchema(createKeyInput.extend(workspaceField)).action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
  const { key, secret } = await createKey(ctx.db, ctx.scope, input);
  revalidatePath(`/${ctx.scope.workspace.slug}/keys`);
  return { prefix: key.prefix, secret };
});

export const revokeKeyAction = manage.inputSchema(z.object({ id: z.uuid(), ...workspaceField })).action(async ({ parsedInput, ctx }) => {
  await revokeKey(ctx.db, ctx.scope, parsedInput.id);
  revalidatePath(`/${ctx.scope.workspace.slug}/keys`);
});

export const rotateKeyAction = manage.inputSchema(rotateKeyInput.extend(workspaceField)).action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
  const { key, secret, oldKeyExpiresAt } = await rotateKey(ctx.db, ctx.scope, input);
  revalidatePath(`/${ctx.scope.workspace.slug}/keys`);
  return { prefix: key.prefix, secret, oldKeyExpiresAt: oldKeyExpiresAt.toISOString() };
});

export const updateKeyAction = manage.inputSchema(updateKeyInput.extend(workspaceField)).action(async ({ parsedInput: { workspace: _slug, ...input }, ctx }) => {
  const key = await updateKey(ctx.db, ctx.scope, input);
  revalidatePath(`/${ctx.scope.workspace.slug}/keys`);
  return { prefix: key.prefix };
});
