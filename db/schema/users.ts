// People who sign in to the console, and the failed sign-ins that throttle guessing.
import { boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  // Stored lower-cased: sign-in compares emails without regard to case.
  email: text("email").notNull().unique(),
  name: text("name").notNull().default(""),
  // argon2id hash; null for users who only sign in through OIDC.
  passwordHash: text("password_hash"),
  // Instance administrators run the platform: providers, models, every workspace.
  isInstanceAdmin: boolean("is_instance_admin").notNull().default(false),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

// One row per failed password sign-in; counted over a sliding window per email and per address.
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    ipAddress: text("ip_address").notNull().default(""),
    failedAt: timestamp("failed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sign_in_failures_email_idx").on(t.email, t.failedAt), index("sign_in_failures_ip_idx").on(t.ipAddress, t.failedAt)],
);

export type User = typeof users.$inferSelect;
