// Fine-tuning jobs, their events (every status transition, recorded once) and checkpoints.
// A job is run by a trainer (mistral, openai-compatible or command); the runner leases a job
// row while it works on it, so jobs survive restarts and run once across several workers.
import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { users } from "./users";
import { workspaces } from "./workspaces";

export const jobStatuses = ["QUEUED", "STARTED", "VALIDATING", "VALIDATED", "RUNNING", "FAILED_VALIDATION", "FAILED", "SUCCESS", "CANCELLED", "CANCELLATION_REQUESTED"] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const finalJobStatuses: readonly JobStatus[] = ["FAILED_VALIDATION", "FAILED", "SUCCESS", "CANCELLED"];

export type Hyperparameters = { training_steps?: number; learning_rate?: number; weight_decay?: number; warmup_fraction?: number; epochs?: number; seq_len?: number; fim_ratio?: number };
export type TrainingFile = { file_id: string; weight: number };
export type JobEstimate = { expected_duration_seconds: number; cost: number; cost_currency: string; train_tokens_per_step: number; train_tokens: number; data_tokens: number; estimated_start_time: number | null };

export const fineTuningJobs = pgTable(
  "fine_tuning_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    // The base model's alias, as the client named it.
    model: text("model").notNull(),
    status: text("status").$type<JobStatus>().notNull().default("QUEUED"),
    autoStart: boolean("auto_start").notNull().default(true),
    suffix: text("suffix"),
    hyperparameters: jsonb("hyperparameters").$type<Hyperparameters>().notNull(),
    trainingFiles: jsonb("training_files").$type<TrainingFile[]>().notNull(),
    validationFiles: jsonb("validation_files").$type<string[]>().notNull().default([]),
    integrations: jsonb("integrations").$type<unknown[]>().notNull().default([]),
    // Which trainer runs it, and the provider it trains on (mistral / openai-compatible).
    trainer: text("trainer").$type<"mistral" | "openai-compatible" | "command">().notNull(),
    providerId: uuid("provider_id"),
    // The upstream's ids, once created there: its job and the files uploaded for it.
    remoteJobId: text("remote_job_id"),
    remoteFileIds: jsonb("remote_file_ids").$type<Record<string, string>>().notNull().default({}),
    // The alias clients call once it succeeds (ft:<base>:<suffix>:<id>).
    fineTunedModel: text("fine_tuned_model"),
    trainedTokens: bigint("trained_tokens", { mode: "number" }),
    estimate: jsonb("estimate").$type<JobEstimate>(),
    // Dollars, from the estimate; the price per million training tokens at creation.
    cost: doublePrecision("cost"),
    failureReason: text("failure_reason"),
    // The runner's lease: who works on the job and until when (renewed while it runs).
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    // Failed upstream calls in a row; the runner backs off and fails the job past a bound.
    attempts: integer("attempts").notNull().default(0),
    createdByKeyId: uuid("created_by_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    modifiedAt: timestamp("modified_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("fine_tuning_jobs_workspace_created_idx").on(t.workspaceId, t.createdAt), index("fine_tuning_jobs_status_idx").on(t.status)],
);

export const fineTuningEvents = pgTable(
  "fine_tuning_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => fineTuningJobs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("fine_tuning_events_job_idx").on(t.jobId, t.id)],
);

export type CheckpointMetrics = { train_loss: number | null; valid_loss: number | null; valid_mean_token_accuracy: number | null };

export const fineTuningCheckpoints = pgTable(
  "fine_tuning_checkpoints",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => fineTuningJobs.id, { onDelete: "cascade" }),
    stepNumber: integer("step_number").notNull(),
    metrics: jsonb("metrics").$type<CheckpointMetrics>().notNull(),
    // For the command trainer: the checkpoint file it wrote, to resume from after a restart.
    path: text("path"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // One checkpoint per step: a poll that sees a checkpoint twice records it once.
  (t) => [uniqueIndex("fine_tuning_checkpoints_job_step_idx").on(t.jobId, t.stepNumber)],
);

export type FineTuningJob = typeof fineTuningJobs.$inferSelect;
export type FineTuningEvent = typeof fineTuningEvents.$inferSelect;
export type FineTuningCheckpoint = typeof fineTuningCheckpoints.$inferSelect;
