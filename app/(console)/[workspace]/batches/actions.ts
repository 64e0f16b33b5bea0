"use server";
// Batch jobs from the console: create (from a file the wizard uploaded), cancel, and retry the
// failed lines of a batch as a new one.
import { revalidatePath } from "next/cache";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { batchEndpoints, batchLines } from "@/db/schema";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { cancelBatch, createBatch, getBatch } from "@/lib/batch/jobs";
import { BoraError } from "@/lib/errors";
import { fileStore } from "@/lib/files/current-store";

const manage = workspaceAction.metadata({ permission: "jobs:manage" });

const createInput = z.object({
  fileId: z.uuid(),
  endpoint: z.enum(batchEndpoints),
  model: z.string().min(1, "Choose a model."),
  // The spreadsheet the requests came from, kept so results can be joined back onto it.
  csvFileId: z.uuid().optional(),
  ...workspaceField,
});

export const createBatchAction = manage.inputSchema(createInput).action(async ({ parsedInput: p, ctx }) => {
  const job = await createBatch(ctx.db, fileStore(), { workspaceId: ctx.scope.workspace.id, userId: ctx.scope.user.id }, {
    input_files: [p.fileId],
    endpoint: p.endpoint,
    model: p.model,
    metadata: { source: p.csvFileId ? "csv" : "jsonl", ...(p.csvFileId ? { csv_file_id: p.csvFileId } : {}) },
  });
  revalidatePath(`/${ctx.scope.workspace.slug}/batches`);
  return { id: job.id };
});

export const cancelBatchAction = manage.inputSchema(z.object({ id: z.uuid(), ...workspaceField })).action(async ({ parsedInput, ctx }) => {
  const job = await cancelBatch(ctx.db, ctx.scope.workspace.id, parsedInput.id);
  revalidatePath(`/${ctx.scope.workspace.slug}/batches/${job.id}`);
  return { status: job.status };
});

export const retryFailedAction = manage.inputSchema(z.object({ id: z.uuid(), ...workspaceField })).action(async ({ parsedInput, ctx }) => {
  const job = await getBatch(ctx.db, ctx.scope.workspace.id, parsedInput.id);
  const failed = await ctx.db
    .select({ customId: batchLines.customId, body: batchLines.body })
    .from(batchLines)
    .where(and(eq(batchLines.batchId, job.id), eq(batchLines.status, "failed")))
    .orderBy(asc(batchLines.index));
  if (!failed.length) throw new BoraError("conflict:batch", "This batch has no failed lines to retry.");
  const retry = await createBatch(ctx.db, fileStore(), { workspaceId: ctx.scope.workspace.id, userId: ctx.scope.user.id }, {
    requests: failed.map((l) => ({ custom_id: l.customId, body: l.body })),
    endpoint: job.endpoint,
    model: job.model,
    metadata: { ...(job.metadata ?? {}), retry_of: job.id },
  });
  revalidatePath(`/${ctx.scope.workspace.slug}/batches`);
  return { id: retry.id };
});
