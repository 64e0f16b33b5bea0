// What a simulated fine-tuning job has done by a given instant: its status transitions, the
// checkpoints it has written and their metrics. A pure function of the job and the clock, so
// nothing runs in the background and a GET at time t always tells the same story.
import crypto from "node:crypto";

export const jobStatuses = ["QUEUED", "STARTED", "VALIDATING", "VALIDATED", "RUNNING", "FAILED_VALIDATION", "FAILED", "SUCCESS", "CANCELLED", "CANCELLATION_REQUESTED"] as const;
export type JobStatus = (typeof jobStatuses)[number];
const terminal: JobStatus[] = ["FAILED_VALIDATION", "FAILED", "SUCCESS", "CANCELLED"];

/** A job as the simulator keeps it; times are epoch milliseconds. */
export type SimJob = {
  id: string;
  model: string;
  suffix: string | null;
  autoStart: boolean;
  trainingFiles: string[];
  validationFiles: string[];
  integrations: unknown[] | null;
  hyperparameters: Record<string, number | null>;
  trainingSteps: number;
  /** Fixed when the job is created, so changing the option later does not rewrite its history. */
  stepMs: number;
  dataTokens: number;
  /** Why validation fails, when the data is bad: the job then ends in FAILED_VALIDATION. */
  invalid: string | null;
  createdMs: number;
  /** When /start was called (jobs created with auto_start: false). */
  startMs: number | null;
  cancelMs: number | null;
};

export type Transition = { status: JobStatus; at: number; error?: string };
export type Checkpoint = { step: number; at: number; trainLoss: number; validLoss: number | null; validAccuracy: number | null };

/** Simulated tokens a step trains on: one small batch. */
export const tokensPerStep = 1024;

/**
 * QUEUED at creation, VALIDATING one step later, VALIDATED (or FAILED_VALIDATION) after two;
 * RUNNING one step after that with auto_start, or when /start is called; SUCCESS once every
 * training step is done. A cancel freezes the job: CANCELLATION_REQUESTED, then CANCELLED a step later.
 */
export function plannedTransitions(job: SimJob): Transition[] {
  const { createdMs: t0, stepMs: s } = job;
  const out: Transition[] = [
    { status: "QUEUED", at: t0 },
    { status: "VALIDATING", at: t0 + s },
  ];
  if (job.invalid) out.push({ status: "FAILED_VALIDATION", at: t0 + 2 * s, error: job.invalid });
  else {
    out.push({ status: "VALIDATED", at: t0 + 2 * s });
    const start = runStart(job);
    if (start !== null) out.push({ status: "RUNNING", at: start }, { status: "SUCCESS", at: start + job.trainingSteps * s });
  }
  if (job.cancelMs === null) return out;
  const cancelAt = job.cancelMs;
  return [...out.filter((t) => t.at <= cancelAt), { status: "CANCELLATION_REQUESTED", at: cancelAt }, { status: "CANCELLED", at: cancelAt + s }];
}

export function runStart(job: SimJob): number | null {
  if (job.invalid) return null;
  return job.autoStart ? job.createdMs + 3 * job.stepMs : job.startMs;
}

export function transitionsAt(job: SimJob, now: number): Transition[] {
  return plannedTransitions(job).filter((t) => t.at <= now);
}

export function statusAt(job: SimJob, now: number): JobStatus {
  return transitionsAt(job, now).at(-1)?.status ?? "QUEUED";
}

export function isTerminal(status: JobStatus): boolean {
  return terminal.includes(status);
}

/** Training steps completed by `now`: none before RUNNING, none after a cancel request. */
export function stepsDone(job: SimJob, now: number): number {
  const start = runStart(job);
  if (start === null) return 0;
  const until = Math.min(now, job.cancelMs ?? Infinity);
  return Math.max(0, Math.min(job.trainingSteps, Math.floor((until - start) / job.stepMs)));
}

/** About five checkpoints a job, and always one at the last step. */
export function checkpointSteps(trainingSteps: number): number[] {
  const every = Math.max(1, Math.floor(trainingSteps / 5));
  const steps = Array.from({ length: Math.floor(trainingSteps / every) }, (_, i) => (i + 1) * every);
  return steps.at(-1) === trainingSteps ? steps : [...steps, trainingSteps];
}

/** Checkpoints written by `now`, oldest first. Validation metrics only when there is validation data, as on La Plateforme. */
export function checkpointsAt(job: SimJob, now: number): Checkpoint[] {
  const start = runStart(job);
  const done = stepsDone(job, now);
  if (start === null) return [];
  const validated = job.validationFiles.length > 0;
  return checkpointSteps(job.trainingSteps)
    .filter((step) => step <= done)
    .map((step) => {
      const trainLoss = round(loss(step, job.trainingSteps) * (1 + 0.01 * noise(job.id, step, "train")));
      const validLoss = round(loss(step, job.trainingSteps) * (1.05 + 0.01 * noise(job.id, step, "valid")));
      return { step, at: start + step * job.stepMs, trainLoss, validLoss: validated ? validLoss : null, validAccuracy: validated ? round(0.35 + 0.6 * (1 - Math.exp((-2 * step) / job.trainingSteps))) : null };
    });
}

/** `ft:<base>:<suffix or "sim">:<first 8 of the job id>` */
export function fineTunedModelName(job: SimJob): string {
  return `ft:${job.model}:${job.suffix ?? "sim"}:${job.id.slice(0, 8)}`;
}

// Loss falls from 2.5 towards 2.5·e⁻² over the run.
function loss(step: number, steps: number): number {
  return 2.5 * Math.exp((-2 * step) / steps);
}

// In [-1, 1], fixed by the job and the step: the same checkpoint always reads the same.
function noise(id: string, step: number, kind: string): number {
  return (crypto.createHash("sha256").update(`${id}:${step}:${kind}`).digest()[0]! / 255) * 2 - 1;
}

function round(x: number): number {
  return Number(x.toFixed(6));
}
