// What a trainer is: it takes a VALIDATED (or already RUNNING, after a restart) job to an end
// state, or returns early when its signal aborts (cancel or shutdown). Trainers record progress
// through the helpers in ../progress.ts, so every trainer's events and checkpoints look alike.
import type { FineTuningJob } from "@/db/schema";
import type { FileStore } from "@/lib/files/store";
import type { Executor } from "@/lib/services/context";

export type TrainerContext = {
  db: Executor;
  files: FileStore;
  /** Where trainers keep working files: the data dir's fine-tuning/<job id>/. */
  workDir: string;
  secret: string;
  signal: AbortSignal;
  /** True when the signal aborted because the job is being cancelled (not a shutdown). */
  cancelling: () => boolean;
  pollMs: number;
};

export interface Trainer {
  run(job: FineTuningJob, ctx: TrainerContext): Promise<void>;
}

/** A failure that retrying will not fix (the upstream refused the job, the trainer exited non-zero). */
export class TrainingFailed extends Error {}
