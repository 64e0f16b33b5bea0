// Batch jobs and their lines. Each line is a row: its request, its state, its result. Workers
// lease lines (FOR UPDATE SKIP LOCKED with an expiry), so after a crash an unfinished line is
// picked up again, and the result of a line is written to its own row once: a custom_id can
// never appear twice in the results.
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { users } from "./users";
import { workspaces } from "./workspaces";

export const batchStatuses = ["QUEUED", "RUNNING", "SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLATION_REQUESTED", "CANCELLED"] as const;
export type BatchStatus = (typeof batchStatuses)[number];
export const finalBatchStatuses: readonly BatchStatus[] = ["SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLED"];
export const batchEndpoints = ["/v1/chat/completions", "/v1/fim/completions", "/v1/embeddings"] as const;
export type BatchEndpoint = (typeof batchEndpoints)[number];

export const batchJobs = pgTable(
  "batch_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    // The key whose limits the lines run under (null: created in the console).
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    endpoint: text("endpoint").$type<BatchEndpoint>().notNull(),
    model: text("model"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    status: text("status").$type<BatchStatus>().notNull().default("QUEUED"),
    inputFiles: jsonb("input_files").$type<string[]>().notNull().default([]),
    timeoutHours: integer("timeout_hours").notNull().default(24),
    totalRequests: integer("total_requests").notNull(),
    // "lines": run here line by line. "upstream": forwarded whole to the provider's batch API.
    mode: text("mode").$type<"lines" | "upstream">().notNull().default("lines"),
    providerId: uuid("provider_id"),
    upstreamModel: text("upstream_model"),
    // The upstream's ids once they exist, and its counts while it runs.
    remoteFileId: text("remote_file_id"),
    remoteJobId: text("remote_job_id"),
    remoteCounts: jsonb("remote_counts").$type<{ succeeded: number; failed: number }>(),
    // Who forwards an upstream batch right now (one worker at a time), and until when.
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    outputFileId: uuid("output_file_id"),
    errorFileId: uuid("error_file_id"),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("batch_jobs_workspace_created_idx").on(t.workspaceId, t.createdAt), index("batch_jobs_status_idx").on(t.status)],
);

export type BatchLineStatus = "pending" | "running" | "succeeded" | "failed";

export const batchLines = pgTable(
  "batch_lines",
  {
    batchId: uuid("batch_id")
      .notNull()
      .references(() => batchJobs.id, { onDelete: "cascade" }),
    // 0-based position in the input: results are written in this order.
    index: integer("index").notNull(),
    customId: text("custom_id").notNull(),
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<BatchLineStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    // Not before this time (backoff after a 429 or 5xx).
    notBefore: timestamp("not_before", { withTimezone: true }),
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    // For failed lines: {message, code}; its `code` groups errors on the job page.
    error: jsonb("error").$type<{ message: string; code: string }>(),
    // Usage of the line's answer, for the job's totals.
    tokens: bigint("tokens", { mode: "number" }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.index] }), uniqueIndex("batch_lines_custom_id_idx").on(t.batchId, t.customId), index("batch_lines_status_idx").on(t.batchId, t.status)],
);

export type BatchJob = typeof batchJobs.$inferSelect;
export type BatchLine = typeof batchLines.$inferSelect;
