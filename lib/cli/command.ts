// The shape of a CLI command and the small helpers commands share for reading flags.
import type { OperationName } from "@/lib/manage/routes";
import type { ManageClient } from "./client";
import { printTable } from "./table";

export type Flags = Record<string, string | boolean | undefined>;
export type Result = { data: unknown; text: () => void; exitCode?: number };
/** `local` commands work on this machine's files alone and never connect to a server. */
export type Command = { summary: string; usage: string; local?: boolean; run: (client: ManageClient, flags: Flags) => Promise<Result> };

export class UsageError extends Error {}

export const str = (flags: Flags, name: string) => (typeof flags[name] === "string" ? (flags[name] as string) : undefined);

export function need(flags: Flags, name: string): string {
  const value = str(flags, name);
  if (!value) throw new UsageError(`--${name} is required.`);
  return value;
}

/** A comma-separated flag as a list (undefined when absent). */
export function list(flags: Flags, name: string): string[] | undefined {
  const value = str(flags, name);
  return value === undefined ? undefined : value.split(",").map((s) => s.trim()).filter(Boolean);
}

export function num(flags: Flags, name: string): number | undefined {
  const value = str(flags, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number.`);
  return n;
}

/** A command that lists rows from one operation. */
export const listing =
  (op: OperationName, columns: string[], params?: (f: Flags) => Record<string, string>, query?: (f: Flags) => Record<string, unknown>): Command["run"] =>
  async (client, flags) => {
    const data = (await client.call(op, params?.(flags), query?.(flags))) as Record<string, unknown>[];
    return { data, text: () => printTable(data, columns) };
  };

export const workspaceOf = (f: Flags) => ({ workspace: need(f, "workspace") });
