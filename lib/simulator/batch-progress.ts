// What a simulated batch job has done by a given instant, like training.ts for fine-tuning: a
// pure function of the job and the clock, so nothing runs in the background and a GET at time t
// always tells the same story. One tick is the time a line takes (1000 / batchLinesPerSecond ms).
import type { BatchEndpoint, BatchLine } from "./batch-input";

export const batchStatuses = ["QUEUED", "RUNNING", "SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLATION_REQUESTED", "CANCELLED"] as const;
export type BatchStatus = (typeof batchStatuses)[number];
const terminal: BatchStatus[] = ["SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLED"];

/** A batch job as the simulator keeps it; times are epoch milliseconds. */
export type SimBatch = {
  id: string;
  inputFiles: string[];
  endpoint: BatchEndpoint;
  model: string | null;
  metadata: Record<string, unknown> | null;
  lines: BatchLine[];
  /** Fixed when the job is created, so changing the option later does not rewrite its history. */
  lineMs: number;
  timeoutMs: number;
  createdMs: number;
  cancelMs: number | null;
  /** Set once the job has ended and its result files are written (null when there were no such lines). */
  outputFile: string | null;
  errorFile: string | null;
};

export type BatchTransition = { status: BatchStatus; at: number };

/**
 * QUEUED at creation, RUNNING a tick later, then a line a tick; SUCCESS when the last is done
 * (FAILED when every line failed, as Bora's own batches end), or TIMEOUT_EXCEEDED at the
 * deadline. A cancel freezes the lines: CANCELLATION_REQUESTED, then CANCELLED a tick later.
 */
export function plannedTransitions(job: SimBatch): BatchTransition[] {
  const deadline = job.createdMs + job.timeoutMs;
  const start = runStart(job);
  const end = start + job.lines.length * job.lineMs;
  const ended: BatchTransition = end <= deadline ? { status: job.lines.every((l) => l.failure) ? "FAILED" : "SUCCESS", at: end } : { status: "TIMEOUT_EXCEEDED", at: deadline };
  const before: BatchTransition[] = [
    { status: "QUEUED", at: job.createdMs },
    { status: "RUNNING", at: start },
  ];
  // A tick longer than the timeout: the job never runs.
  const out = [...before.filter((t) => t.at < ended.at), ended];
  if (job.cancelMs === null) return out;
  const cancelAt = job.cancelMs;
  return [...out.filter((t) => t.at <= cancelAt), { status: "CANCELLATION_REQUESTED", at: cancelAt }, { status: "CANCELLED", at: cancelAt + job.lineMs }];
}

export function runStart(job: SimBatch): number {
  return job.createdMs + job.lineMs;
}

export function transitionsAt(job: SimBatch, now: number): BatchTransition[] {
  return plannedTransitions(job).filter((t) => t.at <= now);
}

export function statusAt(job: SimBatch, now: number): BatchStatus {
  return transitionsAt(job, now).at(-1)?.status ?? "QUEUED";
}

export function isTerminal(status: BatchStatus): boolean {
  return terminal.includes(status);
}

/** Lines done by `now`, in input order: none before RUNNING, none after a cancel request or the deadline. (The epsilon: a fractional tick must not leave the last line undone at the end.) */
export function linesDone(job: SimBatch, now: number): number {
  const until = Math.min(now, job.cancelMs ?? Infinity, job.createdMs + job.timeoutMs);
  return Math.max(0, Math.min(job.lines.length, Math.floor((until - runStart(job)) / job.lineMs + 1e-9)));
}

/** When line `index` (from 0) is done, if it ever is. */
export function lineDoneAt(job: SimBatch, index: number): number {
  return runStart(job) + (index + 1) * job.lineMs;
}
