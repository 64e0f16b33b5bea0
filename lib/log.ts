// Structured JSON logs, one object a line, so any collector can parse them without rules.
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
  if (fields.err instanceof Error) line.err = { message: fields.err.message, stack: fields.err.stack };
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(JSON.stringify(line) + "\n");
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
