// What POST /v1/fine_tuning/jobs accepts, and the list filters of GET: La Plateforme's fields,
// checked here so a bad value is a 422 naming the field, never a job that fails later.
import { z } from "zod";
import { jobStatuses } from "@/db/schema";

export const hyperparametersInput = z
  .object({
    training_steps: z.number().int().min(1).max(100_000).optional(),
    learning_rate: z.number().gt(0).max(1).default(1e-4),
    weight_decay: z.number().min(0).max(1).optional(),
    warmup_fraction: z.number().min(0).max(1).optional(),
    epochs: z.number().gt(0).max(100).optional(),
    seq_len: z.number().int().min(100).max(1_000_000).optional(),
    fim_ratio: z.number().min(0).max(1).optional(),
  })
  .refine((h) => h.training_steps !== undefined || h.epochs !== undefined, { message: "Give training_steps or epochs.", path: ["training_steps"] });

const uuid = (what: string) => z.string().uuid(`${what} must be a file id from POST /v1/files.`);

export const createJobInput = z.object({
  model: z.string().min(1),
  training_files: z.array(z.object({ file_id: uuid("file_id"), weight: z.number().gt(0).default(1) })).min(1, "Give at least one training file."),
  validation_files: z.array(uuid("validation_files")).nullish(),
  hyperparameters: hyperparametersInput,
  suffix: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,18}$/, "suffix: up to 18 letters, digits or dashes.")
    .nullish(),
  auto_start: z.boolean().default(true),
  integrations: z.array(z.unknown()).nullish(),
  invalid_sample_skip_percentage: z.number().min(0).max(0.5).default(0),
  job_type: z.literal("completion").nullish(),
});
export type CreateJobInput = z.infer<typeof createJobInput>;

export const listJobsQuery = z.object({
  page: z.coerce.number().int().min(0).default(0),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
  model: z.string().optional(),
  status: z.enum(jobStatuses).optional(),
  suffix: z.string().optional(),
  created_after: z.coerce.date().optional(),
  created_before: z.coerce.date().optional(),
});
export type ListJobsQuery = z.infer<typeof listJobsQuery>;
