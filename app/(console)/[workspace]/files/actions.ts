"use server";
// Files from the console: delete (the bytes go with the row).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { fileStore } from "@/lib/files/current-store";
import { deleteFile } from "@/lib/files/files";

const manage = workspaceAction.metadata({ permission: "jobs:manage" });

export const deleteFileAction = manage.inputSchema(z.object({ id: z.uuid(), ...workspaceField })).action(async ({ parsedInput, ctx }) => {
  await deleteFile(ctx.db, fileStore(), ctx.scope.workspace.id, parsedInput.id);
  revalidatePath(`/${ctx.scope.workspace.slug}/files`);
});
