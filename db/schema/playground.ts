// What members keep from the playground: presets (a model with its settings, shared by the
// workspace) and conversations (each member's own, listed and reopened).
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";
import { workspaces } from "./workspaces";

export const playgroundPresets = pgTable(
  "playground_presets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // Model, system prompt, parameters, response format and tools, as the playground holds them.
    settings: jsonb("settings").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("playground_presets_workspace_name").on(t.workspaceId, t.name)],
);

export const playgroundConversations = pgTable(
  "playground_conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    model: text("model").notNull(),
    // { settings, messages } as the playground holds them.
    data: jsonb("data").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("playground_conversations_owner_idx").on(t.workspaceId, t.userId, t.updatedAt)],
);

export type PlaygroundPreset = typeof playgroundPresets.$inferSelect;
export type PlaygroundConversation = typeof playgroundConversations.$inferSelect;
