// What one Bora process serves. `npm start` is the all-in-one; `bora serve --gateway|--worker|
// --console` splits it so each part scales on its own over one Postgres and one Redis.
import type { Config } from "@/lib/config";

export type Mode = "all" | "gateway" | "worker" | "console";

export type Roles = {
  /** /v1 for clients. A worker answers /v1 only for its own batch lines (`x-bora-batch`). */
  v1: "public" | "batch-lines" | "none";
  /** Next.js console, management API (the CLI's), playground and console uploads. */
  console: boolean;
  /** Batch and fine-tuning workers. */
  workers: boolean;
  /** First admin, local admin token, demo model, env providers, models-dir scan. */
  bootstrap: boolean;
};

const roles: Record<Mode, Roles> = {
  all: { v1: "public", console: true, workers: true, bootstrap: true },
  gateway: { v1: "public", console: false, workers: false, bootstrap: false },
  worker: { v1: "batch-lines", console: false, workers: true, bootstrap: false },
  console: { v1: "none", console: true, workers: false, bootstrap: true },
};

export function rolesOf(mode: Mode): Roles {
  return roles[mode];
}

export const modeFlags = ["gateway", "worker", "console"] as const;

/** The mode named by `bora serve` flags: none means all-in-one; two at once is a usage error. */
export function modeFromFlags(flags: Partial<Record<(typeof modeFlags)[number], boolean>>): Mode {
  const chosen = modeFlags.filter((f) => flags[f]);
  if (chosen.length > 1) throw new Error(`choose one of --gateway, --worker or --console, not ${chosen.map((f) => `--${f}`).join(" and ")}`);
  return chosen[0] ?? "all";
}

/**
 * Why this configuration cannot run the mode, or undefined when it can. A split mode shares
 * state with other processes: PGlite is one process only, and a secret generated into one
 * process's data dir would not open what another sealed.
 */
export function modeRefusal(mode: Mode, config: Config): string | undefined {
  if (mode === "all") return undefined;
  if (!config.DATABASE_URL) return `bora serve --${mode} runs beside other Bora processes and needs a shared database: set DATABASE_URL to Postgres (the embedded PGlite serves one process only; use npm start for a single process).`;
  if (!config.BORA_SECRET) return `bora serve --${mode} needs BORA_SECRET, the same in every Bora process: each process must open the provider secrets and batch credentials the others sealed.`;
  return undefined;
}
