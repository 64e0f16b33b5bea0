// API keys that clients send as `Authorization: Bearer <key>` to /v1. Only a public prefix and
// the SHA-256 of the whole key are stored; the key itself is shown once, at creation.
import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";
import { workspaces } from "./workspaces";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // 12 hex characters from the key ("bora_<prefix>_<secret>"): finds the row without the secret.
    prefix: text("prefix").notNull().unique(),
    hashedSecret: text("hashed_secret").notNull(),
    // Model aliases this key may call; null means every model of the workspace.
    allowedModels: jsonb("allowed_models").$type<string[] | null>(),
    // Limits; null means none. Per minute: requests and tokens (prompt + completion).
    rpm: integer("rpm"),
    tpm: integer("tpm"),
    // Requests (streams included) in flight at once; null means no limit.
    maxConcurrent: integer("max_concurrent"),
    // Tokens per calendar month (UTC), enforced with reservations in key_quota_usage.
    monthlyTokenQuota: bigint("monthly_token_quota", { mode: "number" }),
    // Spend per calendar month, in billionths of a US dollar (like usage costs); null means none.
    monthlySpendQuotaNanos: bigint("monthly_spend_quota_nanos", { mode: "number" }),
    // The first key of a rotation chain (its own id when never rotated): limits and quotas are
    // counted per lineage, so an old and a new secret in their overlap share one budget.
    lineageId: uuid("lineage_id"),
    // Admin scopes beyond calling models: "usage:read" lets the key read its workspace's usage
    // through GET /v1/usage. Empty for ordinary keys.
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    // Set on a rotated key: the key that replaced it (its secret stops at `expires_at`).
    replacedById: uuid("replaced_by_id"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    // Written at most once a minute per key, off the request path.
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("api_keys_workspace_idx").on(t.workspaceId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;

// A key's tokens in one month: what finished requests used, and what requests in flight have
// reserved. A request may start only if used + reserved + its own reservation fits the quota,
// checked and reserved in one conditional UPDATE, so concurrent requests and replicas cannot
// overshoot it together.
export const keyQuotaUsage = pgTable(
  "key_quota_usage",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    // "2026-11" (UTC).
    month: text("month").notNull(),
    usedTokens: bigint("used_tokens", { mode: "number" }).notNull().default(0),
    reservedTokens: bigint("reserved_tokens", { mode: "number" }).notNull().default(0),
    // The same for spend, in billionths of a US dollar.
    usedCostNanos: bigint("used_cost_nanos", { mode: "number" }).notNull().default(0),
    reservedCostNanos: bigint("reserved_cost_nanos", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.month] })],
);

// Per-model limits of a key (e.g. 5 RPM on the large model, 100 on the small one), on top of
// the key's own. Counted per lineage and model, like the key's.
export const apiKeyModelLimits = pgTable(
  "api_key_model_limits",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    rpm: integer("rpm"),
    tpm: integer("tpm"),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.model] })],
);

export type ApiKeyModelLimit = typeof apiKeyModelLimits.$inferSelect;
