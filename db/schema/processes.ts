// Bora processes sharing one database, and what each holds: the quota and budget reservations
// of its requests in flight. A process that stops heartbeating (killed, its machine lost) has
// its holds given back by the others, so a crash does not keep quota reserved for the rest of
// the month (lib/gateway/limits/holds.ts).
import { bigint, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const boraProcesses = pgTable(
  "bora_processes",
  {
    // "<host>-<pid>-<random>": unique per start.
    id: text("id").primaryKey(),
    // all, gateway, worker or console.
    mode: text("mode").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    // Refreshed every few seconds while the process lives.
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("bora_processes_seen_idx").on(t.seenAt)],
);

// The sums a process has reserved and not yet settled, per key month (kind "key": tokens and
// cost) or workspace month (kind "workspace": cost). Changed in the same statement as the
// reservation it mirrors, so the two never disagree.
export const reservationHolds = pgTable(
  "reservation_holds",
  {
    processId: text("process_id").notNull(),
    kind: text("kind").notNull(),
    // The API key's id or the workspace's id.
    targetId: uuid("target_id").notNull(),
    month: text("month").notNull(),
    tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
    // Billionths of a US dollar.
    costNanos: bigint("cost_nanos", { mode: "number" }).notNull().default(0),
    // What the last settle took off this hold: at most what it still held. A settle gives back
    // exactly that much of the reservation, and an UPDATE's RETURNING sees only the new values,
    // so the amount is written here to be returned. A process taken for dead (a long stall) has
    // had its holds given back already; its late settles then give back nothing a second time.
    releasedTokens: bigint("released_tokens", { mode: "number" }).notNull().default(0),
    releasedCostNanos: bigint("released_cost_nanos", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.processId, t.kind, t.targetId, t.month] })],
);
