"use server";
// Fine-tuning jobs from the console: create (from files the wizard uploaded) and cancel (the
// runner stops the work, upstream too).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction, workspaceField } from "@/lib/auth/action-client";
import { cancelJob, createJob } from "@/lib/fine-tuning/jobs";

const manage = workspaceAction.metadata({ permission: "jobs:manage" });

export const cancelJobAction = manage.inputSchema(z.object({ id: z.uuid(), ...workspaceField })).action(async ({ parsedInput, ctx }) => {
  const job = await cancelJob(ctx.db, ctx.scope.workspace.id, parsedInput.id);
  revalidatePath(`/${ctx.scope.workspace.slug}/fine-tuning/${job.id}`);
  return { status: job.status };
});

const createInput = z.object({
  model: z.string().min(1, "Choose a base model."),
  trainingFileId: z.uuid(),
  validationFileId: z.uuid().optional(),
  trainingSteps: z.coerce.number({ message: "A whole number of steps." }).int("A whole number of steps.").min(1, "At least one step.").max(100_000, "At most 100,000 steps."),
  learningRate: z.coerce.number({ message: "A number such as 0.0001." }).gt(0, "Must be above 0.").max(1, "At most 1."),
  suffix: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{0,18}$/, "Up to 18 letters, digits or dashes.")
    .optional(),
  ...workspaceField,
});

export const createJobAction = manage.inputSchema(createInput).action(async ({ parsedInput: p, ctx }) => {
  const job = await createJob(ctx.db, { workspaceId: ctx.scope.workspace.id, userId: ctx.scope.user.id }, {
    model: p.model,
    training_files: [{ file_id: p.trainingFileId, weight: 1 }],
    validation_files: p.validationFileId ? [p.validationFileId] : [],
    hyperparameters: { training_steps: p.trainingSteps, learning_rate: p.learningRate },
    suffix: p.suffix || null,
  });
  revalidatePath(`/${ctx.scope.workspace.slug}/fine-tuning`);
  return { id: job.id };
});
