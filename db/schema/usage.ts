// One row per request through the gateway: who, which model and deployment, tokens, cost and
// timing. Written in batches off the response path (lib/gateway/metering.ts).
import { sql } from "drizzle-orm";
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const usageEvents = pgTable(
  "usage_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    workspaceId: uuid("workspace_id").notNull(),
    // No foreign keys: usage outlives deleted keys and models, and inserts stay cheap.
    apiKeyId: uuid("api_key_id"),
    model: text("model").notNull(),
    deploymentId: uuid("deployment_id"),
    providerId: uuid("provider_id"),
    // "chat", "fim", "embeddings".
    endpoint: text("endpoint").notNull(),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    // Billionths of a US dollar, so sums stay exact integers.
    costNanos: bigint("cost_nanos", { mode: "number" }).notNull().default(0),
    latencyMs: integer("latency_ms").notNull().default(0),
    // Null for non-streamed requests.
    ttftMs: integer("ttft_ms"),
    // "ok", "error", or "client_closed" (the client went away mid-stream).
    status: text("status").notNull(),
    httpStatus: integer("http_status").notNull(),
    errorType: text("error_type"),
    requestId: text("request_id").notNull(),
    // "api", "playground" or "batch".
    origin: text("origin").notNull().default("api"),
    batchId: uuid("batch_id"),
  },
  (t) => [index("usage_events_workspace_time_idx").on(t.workspaceId, t.createdAt), index("usage_events_key_time_idx").on(t.apiKeyId, t.createdAt)],
);

export type UsageEvent = typeof usageEvents.$inferSelect;
export type NewUsageEvent = typeof usageEvents.$inferInsert;

// Sums of usage events per minute, hour and day by workspace × key × model × provider ×
// endpoint × origin, kept up to date in the same transaction as the events they sum
// (lib/gateway/metering.ts), so dashboards read hundreds of rows for a month instead of millions
// of events, and always agree with them. Dashboards pick the table by range: minutes for a few
// hours, hours for up to a week, days beyond. Minute rows are kept a few days only
// (lib/usage/retention.ts); hour and day rows are kept for good, also after raw events are pruned.
export const noKey = "00000000-0000-0000-0000-000000000000";
// provider_id of events that reached no provider (refused before routing).
export const noProvider = noKey;

function rollupTable(name: string) {
  return pgTable(
    name,
    {
      bucket: timestamp("bucket", { withTimezone: true }).notNull(),
      workspaceId: uuid("workspace_id").notNull(),
      // noKey for requests without a key (the playground).
      apiKeyId: uuid("api_key_id").notNull(),
      model: text("model").notNull(),
      providerId: uuid("provider_id").notNull().default(noProvider),
      endpoint: text("endpoint").notNull().default(""),
      origin: text("origin").notNull(),
      requests: bigint("requests", { mode: "number" }).notNull(),
      // Requests whose status was not "ok" (errors and clients gone mid-stream). Status is a
      // count, not a dimension: it would double the rows every dashboard query reads.
      errors: bigint("errors", { mode: "number" }).notNull().default(0),
      promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
      completionTokens: bigint("completion_tokens", { mode: "number" }).notNull(),
      costNanos: bigint("cost_nanos", { mode: "number" }).notNull(),
      // For averages: sum of latencies and of times to first token (over `streamed` requests).
      latencyMsSum: bigint("latency_ms_sum", { mode: "number" }).notNull(),
      ttftMsSum: bigint("ttft_ms_sum", { mode: "number" }).notNull(),
      streamed: bigint("streamed", { mode: "number" }).notNull(),
    },
    (t) => [uniqueIndex(`${name}_key`).on(t.workspaceId, t.bucket, t.apiKeyId, t.model, t.providerId, t.endpoint, t.origin)],
  );
}

export const usageRollupsMinute = rollupTable("usage_rollups_minute");
export const usageRollups = rollupTable("usage_rollups_hourly");
export const usageRollupsDaily = rollupTable("usage_rollups_daily");
export type RollupTable = typeof usageRollups;

// Latency and time-to-first-token histograms per minute, hour and day by workspace × key ×
// model (the dashboard's filters), written with the rollups above. Apart from them because they
// are wide (hundreds of bytes a row): the sums that charts and breakdowns scan stay narrow, and
// percentiles read a third as many rows.
function latencyTable(name: string) {
  return pgTable(
    name,
    {
      bucket: timestamp("bucket", { withTimezone: true }).notNull(),
      workspaceId: uuid("workspace_id").notNull(),
      apiKeyId: uuid("api_key_id").notNull(),
      model: text("model").notNull(),
      // Counts per log-scale bucket of lib/usage/histogram.ts (trimmed after the last non-empty
      // bucket), for percentiles; added with bora_hist_add (drizzle/0009).
      latencyHist: bigint("latency_hist", { mode: "number" }).array().notNull().default(sql`'{}'::bigint[]`),
      ttftHist: bigint("ttft_hist", { mode: "number" }).array().notNull().default(sql`'{}'::bigint[]`),
    },
    (t) => [uniqueIndex(`${name}_key`).on(t.workspaceId, t.bucket, t.apiKeyId, t.model)],
  );
}

export const usageLatencyMinute = latencyTable("usage_latency_minute");
export const usageLatencyHourly = latencyTable("usage_latency_hourly");
export const usageLatencyDaily = latencyTable("usage_latency_daily");
export type LatencyTable = typeof usageLatencyHourly;

// The same histograms summed over a whole workspace (all keys and models), written with the
// ones above: an unfiltered dashboard reads one row per day or hour for its percentiles instead
// of one per key × model (thousands for a month, most of an overview's time before).
function workspaceLatencyTable(name: string) {
  return pgTable(
    name,
    {
      bucket: timestamp("bucket", { withTimezone: true }).notNull(),
      workspaceId: uuid("workspace_id").notNull(),
      latencyHist: bigint("latency_hist", { mode: "number" }).array().notNull().default(sql`'{}'::bigint[]`),
      ttftHist: bigint("ttft_hist", { mode: "number" }).array().notNull().default(sql`'{}'::bigint[]`),
    },
    (t) => [uniqueIndex(`${name}_key`).on(t.workspaceId, t.bucket)],
  );
}

export const usageLatencyWorkspaceMinute = workspaceLatencyTable("usage_latency_workspace_minute");
export const usageLatencyWorkspaceHourly = workspaceLatencyTable("usage_latency_workspace_hourly");
export const usageLatencyWorkspaceDaily = workspaceLatencyTable("usage_latency_workspace_daily");
export type WorkspaceLatencyTable = typeof usageLatencyWorkspaceHourly;

// Bodies of requests and answers, only for workspaces that turned request logging on, and only
// until `expires_at` (their retention); a scheduled purge deletes what has expired.
export const requestLogs = pgTable(
  "request_logs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    workspaceId: uuid("workspace_id").notNull(),
    requestId: text("request_id").notNull(),
    requestBody: jsonb("request_body").notNull(),
    // The whole answer, or for streams the text and tool calls as assembled.
    responseBody: jsonb("response_body"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("request_logs_workspace_request_idx").on(t.workspaceId, t.requestId), index("request_logs_expires_idx").on(t.expiresAt)],
);
