// Workspaces, who belongs to them with which role, and pending invitations.
import { relations } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { roles, type Role } from "../../lib/auth/roles";
import { users } from "./users";

export { roles, type Role };
export const roleEnum = pgEnum("workspace_role", roles);

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  // Appears in console URLs: /w/{slug}/keys.
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  // "any" or "eu-only": the gateway never routes an eu-only workspace to a non-eu deployment.
  residencyPolicy: text("residency_policy").notNull().default("any"),
  // IANA zone in which monthly budgets reset.
  timeZone: text("time_zone").notNull().default("UTC"),
  // Request and response bodies are kept this many days when set; never stored when null.
  requestLogDays: integer("request_log_days"),
  // "bora": batches run line by line here; "upstream": batches on La Plateforme models are
  // forwarded whole to its batch API (cheaper there) and mirrored.
  batchMode: text("batch_mode").$type<"bora" | "upstream">().notNull().default("bora"),
  // Monthly spend cap over every key, in billionths of a US dollar; null means none.
  monthlySpendCapNanos: bigint("monthly_spend_cap_nanos", { mode: "number" }),
  // Percentages of the cap at which members are told (console notice, webhook), once a month each.
  budgetThresholds: jsonb("budget_thresholds").$type<number[]>().notNull().default([80, 95]),
  // Optional: POSTed a signed JSON body when a threshold or the cap is reached.
  budgetWebhookUrl: text("budget_webhook_url"),
  // The webhook's signing secret, sealed with BORA_SECRET (it must be read back to sign).
  budgetWebhookSecretSealed: text("budget_webhook_secret_sealed"),
  // Raw usage events older than this many days are pruned (in batches, hourly); the minute,
  // hour and day rollups that sum them stay.
  usageRawRetentionDays: integer("usage_raw_retention_days").notNull().default(90),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

// Workspace-wide requests and tokens per minute for one model alias ("*": all models together),
// over every key of the workspace.
export const workspaceModelLimits = pgTable(
  "workspace_model_limits",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    rpm: integer("rpm"),
    tpm: integer("tpm"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.model] })],
);

export type WorkspaceModelLimit = typeof workspaceModelLimits.$inferSelect;

// A workspace's spend in one month (of its time zone) against its cap, reserved and settled like
// key quotas; `notified_percent` is the highest threshold already announced this month, so each
// fires once even with many replicas (it is raised by a conditional update).
export const workspaceBudgetUsage = pgTable(
  "workspace_budget_usage",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    month: text("month").notNull(),
    usedCostNanos: bigint("used_cost_nanos", { mode: "number" }).notNull().default(0),
    reservedCostNanos: bigint("reserved_cost_nanos", { mode: "number" }).notNull().default(0),
    notifiedPercent: integer("notified_percent").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.month] })],
);

export const memberships = pgTable(
  "memberships",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    // Optional: when set, only this address can accept.
    email: text("email"),
    role: roleEnum("role").notNull(),
    // SHA-256 of the link's token; the token itself is shown once, in the link.
    hashedToken: text("hashed_token").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("invitations_workspace_idx").on(t.workspaceId)],
);

export const membershipsRelations = relations(memberships, ({ one }) => ({
  workspace: one(workspaces, { fields: [memberships.workspaceId], references: [workspaces.id] }),
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
}));

export type Workspace = typeof workspaces.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
