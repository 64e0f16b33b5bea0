// API keys that clients send as `Authorization: Bearer <key>` to /v1. Only a public prefix and
// the SHA-256 of the whole key are stored; the key itself is shown once, at creation.
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
