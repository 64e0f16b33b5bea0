// Structured JSON logs, one object a line, so any collector can parse them without rules.
import { DrizzleQueryError } from "drizzle-orm";
import { getConfig } from "./config";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function write(level: Level, msg: string, fields: Record<string, unknown> = {}) {
  let threshold: Level = "info";
  try {
    threshold = getConfig().BORA_LOG_LEVEL;
  } catch {
    // Invalid configuration is reported by the caller; logging must still work.
  }
  if (order[level] < order[threshold]) return;
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, msg, ...fields };
  if (fields.err instanceof Error) line.err = errorFields(fields.err);
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(JSON.stringify(line) + "\n");
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};

// A failed query's message holds its whole statement and parameters: megabytes for a metering
// flush, and parameters may be anyone's data. The log gets the database's reason and the
// statement's start instead.
function errorFields(err: Error): Record<string, unknown> {
  if (!(err instanceof DrizzleQueryError)) return { message: err.message, stack: err.stack };
  const reason = err.cause instanceof Error ? err.cause.message : "the query failed";
  const stack = err.stack ?? "";
  return { message: reason, query: err.query.slice(0, 200), stack: stack.slice(Math.max(0, stack.indexOf("\n    at "))) };
}
