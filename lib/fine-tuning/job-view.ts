// A fine-tuning job in La Plateforme's wire shape (what @mistralai/mistralai 1.x parses).
import type { FineTuningCheckpoint, FineTuningEvent, FineTuningJob } from "@/db/schema";

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function jobView(job: FineTuningJob, detail?: { events: FineTuningEvent[]; checkpoints: FineTuningCheckpoint[] }) {
  const e = job.estimate;
  return {
    id: job.id,
    object: "job",
    job_type: "completion",
    model: job.model,
    status: job.status,
    auto_start: job.autoStart,
    created_at: seconds(job.createdAt),
    modified_at: seconds(job.modifiedAt),
    training_files: job.trainingFiles.map((f) => f.file_id),
    validation_files: job.validationFiles,
    hyperparameters: job.hyperparameters,
    fine_tuned_model: job.fineTunedModel,
    suffix: job.suffix,
    integrations: [],
    trained_tokens: job.trainedTokens,
    metadata: e ? { ...e, cost: job.cost ?? e.cost } : null,
    ...(job.failureReason ? { failure_reason: job.failureReason } : {}),
    ...(detail
      ? {
          events: detail.events.map((ev) => ({ name: ev.name, data: ev.data, created_at: seconds(ev.createdAt) })),
          checkpoints: detail.checkpoints.map((c) => ({ metrics: c.metrics, step_number: c.stepNumber, created_at: seconds(c.createdAt) })),
        }
      : {}),
  };
}
