// One row per request through the gateway: who, which model and deployment, tokens, cost and
// timing. Written in batches off the response path (lib/gateway/metering.ts).
import { bigint, bigserial, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

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
