// Workspaces, who belongs to them with which role, and pending invitations.
import { relations } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

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
