// La Plateforme's fine-tuning jobs API (Mistral dialect only), with the wire shapes of
// @mistralai/mistralai 1.x (JobIn, CompletionJobOut, CompletionDetailedJobOut, JobsOut,
// LegacyJobMetadataOut for dry runs). Progress is read off the clock (training.ts).
import crypto from "node:crypto";
import type { ServerResponse } from "node:http";
import { countTokens } from "./content";
import type { FileStore, PlatformRequest } from "./files";
import { parseJobIn, validateSamples } from "./job-in";
import { error, json } from "./respond";
import {
  checkpointsAt,
  fineTunedModelName,
  isTerminal,
  jobStatuses,
  plannedTransitions,
  runStart,
  statusAt,
  stepsDone,
  tokensPerStep,
  transitionsAt,
  type JobStatus,
  type SimJob,
} from "./training";

export const defaultFineTuneStepMs = 200;
const defaultTrainingSteps = 10;

export type FineTuningDeps = {
  files: FileStore;
  /** Milliseconds a simulated step takes, read when a job is created. */
  stepMs: () => number;
  /** A queued HTTP-status fault for this model, if any: it fails one job GET, so pollers' retries can be tested. */
  failure: (model: string, res: ServerResponse) => boolean;
  now?: () => number;
};

export type FineTuning = ReturnType<typeof createFineTuning>;

export function createFineTuning({ files, stepMs, failure, now = Date.now }: FineTuningDeps) {
  const jobs = new Map<string, SimJob>();

  async function handle({ req, res, url, path, body }: PlatformRequest) {
    const [, , , kind, id, action, ...rest] = path.split("/"); // "", "v1", "fine_tuning", "jobs", id, action
    const method = req.method ?? "GET";
    if (kind !== "jobs" || rest.length) return error(res, "mistral", 404, `No route ${method} ${path}`);
    if (!id) {
      // POST /v1/fine_tuning/jobs: create (or, with ?dry_run=true, only cost) a job
      if (method === "POST") return create(res, url, body);
      // GET /v1/fine_tuning/jobs: list, newest first
      if (method === "GET") return list(res, url);
      return error(res, "mistral", 405, `Method ${method} not allowed on ${path}`);
    }
    const job = jobs.get(id);
    if (!job) return error(res, "mistral", 404, `Job ${id} not found`);
    // GET /v1/fine_tuning/jobs/{id}: the job with its events and checkpoints
    if (!action && method === "GET") {
      if (failure(job.model, res)) return;
      return json(res, 200, detailed(job, now()));
    }
    // POST /v1/fine_tuning/jobs/{id}/cancel
    if (action === "cancel" && method === "POST") {
      const t = now();
      const status = statusAt(job, t);
      if (status !== "CANCELLATION_REQUESTED" && status !== "CANCELLED") {
        if (isTerminal(status)) return error(res, "mistral", 400, `Job ${id} is ${status} and cannot be cancelled`);
        job.cancelMs = t;
      }
      return json(res, 200, detailed(job, t));
    }
    // POST /v1/fine_tuning/jobs/{id}/start: run a job created with auto_start: false
    if (action === "start" && method === "POST") {
      const t = now();
      const status = statusAt(job, t);
      if (status !== "VALIDATED" || runStart(job) !== null) return error(res, "mistral", 400, `Job ${id} is ${status}: only a VALIDATED job that was not started can be started`);
      job.startMs = t;
      return json(res, 200, detailed(job, t));
    }
    return error(res, "mistral", 404, `No route ${method} ${path}`);
  }

  function create(res: ServerResponse, url: URL, raw: Buffer) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      return error(res, "mistral", 400, "Invalid JSON");
    }
    const input = parseJobIn(body);
    if ("invalid" in input) return error(res, "mistral", 422, input.invalid);
    for (const fileId of [...input.trainingFiles, ...input.validationFiles]) {
      const file = files.get(fileId);
      if (!file) return error(res, "mistral", 404, `File ${fileId} not found`);
      if (file.purpose !== "fine-tune") return error(res, "mistral", 422, `File ${fileId} has purpose ${file.purpose}, not fine-tune`);
    }
    const texts = input.trainingFiles.map((f) => files.get(f)!.content.toString("utf8"));
    const dataTokens = Math.max(1, texts.reduce((n, t) => n + countTokens(t), 0));
    const hp = input.hyperparameters;
    // Either training_steps, or epochs turned into steps; ten steps when neither is given.
    const trainingSteps = hp.training_steps ?? (hp.epochs ? Math.max(1, Math.ceil((hp.epochs * dataTokens) / tokensPerStep)) : defaultTrainingSteps);
    const invalid = [...input.trainingFiles, ...input.validationFiles]
      .map((f) => validateSamples(files.get(f)!.content.toString("utf8"), input.invalidSampleSkipPercentage))
      .find((e) => e !== null);
    const job: SimJob = {
      id: crypto.randomUUID(),
      model: input.model,
      suffix: input.suffix,
      autoStart: input.autoStart,
      trainingFiles: input.trainingFiles,
      validationFiles: input.validationFiles,
      integrations: input.integrations,
      hyperparameters: {
        training_steps: trainingSteps,
        learning_rate: hp.learning_rate ?? 0.0001,
        weight_decay: hp.weight_decay ?? 0.1,
        warmup_fraction: hp.warmup_fraction ?? 0.05,
        epochs: hp.epochs ?? round((trainingSteps * tokensPerStep) / dataTokens, 4),
        seq_len: hp.seq_len ?? null,
        fim_ratio: hp.fim_ratio ?? null,
      },
      trainingSteps,
      stepMs: Math.max(1, stepMs()),
      dataTokens,
      invalid: invalid ?? null,
      createdMs: now(),
      startMs: null,
      cancelMs: null,
    };
    if (url.searchParams.get("dry_run") === "true") {
      return json(res, 200, { ...metadata(job), deprecated: true, details: "", epochs: job.hyperparameters.epochs, training_steps: trainingSteps, object: "job.metadata" });
    }
    jobs.set(job.id, job);
    return json(res, 200, summary(job, job.createdMs));
  }

  function list(res: ServerResponse, url: URL) {
    const q = url.searchParams;
    const t = now();
    const status = q.get("status");
    if (status && !isJobStatus(status)) return error(res, "mistral", 422, `status: must be one of ${jobStatuses.join(", ")}`);
    const page = Math.max(0, Number(q.get("page") ?? 0) || 0);
    const pageSize = Math.max(1, Number(q.get("page_size") ?? 100) || 100);
    const after = instant(q.get("created_after"));
    const before = instant(q.get("created_before"));
    const matching = [...jobs.values()]
      .reverse() // newest first
      .filter((j) => (!q.get("model") || j.model === q.get("model")) && (!q.get("suffix") || j.suffix === q.get("suffix")))
      .filter((j) => (after === null || j.createdMs >= after) && (before === null || j.createdMs <= before))
      .filter((j) => !status || statusAt(j, t) === status);
    return json(res, 200, { data: matching.slice(page * pageSize, (page + 1) * pageSize).map((j) => summary(j, t)), object: "list", total: matching.length });
  }

  function summary(job: SimJob, t: number) {
    const status = statusAt(job, t);
    const last = Math.max(...transitionsAt(job, t).map((x) => x.at), ...checkpointsAt(job, t).map((c) => c.at));
    const done = stepsDone(job, t);
    return {
      id: job.id,
      object: "job",
      job_type: "completion",
      auto_start: job.autoStart,
      model: job.model,
      status,
      created_at: seconds(job.createdMs),
      modified_at: seconds(last),
      training_files: job.trainingFiles,
      validation_files: job.validationFiles,
      fine_tuned_model: status === "SUCCESS" ? fineTunedModelName(job) : null,
      suffix: job.suffix,
      integrations: job.integrations,
      trained_tokens: done > 0 ? done * tokensPerStep : null,
      metadata: metadata(job),
      hyperparameters: job.hyperparameters,
      repositories: [],
    };
  }

  // Events and checkpoints newest first, as La Plateforme lists them.
  function detailed(job: SimJob, t: number) {
    return {
      ...summary(job, t),
      events: transitionsAt(job, t)
        .map((x) => ({ name: "status-updated", data: { status: x.status, ...(x.error ? { error: x.error } : {}) }, created_at: seconds(x.at) }))
        .reverse(),
      checkpoints: checkpointsAt(job, t)
        .map((c) => ({ metrics: { train_loss: c.trainLoss, valid_loss: c.validLoss, valid_mean_token_accuracy: c.validAccuracy }, step_number: c.step, created_at: seconds(c.at) }))
        .reverse(),
    };
  }

  function metadata(job: SimJob) {
    const trainTokens = job.trainingSteps * tokensPerStep;
    return {
      expected_duration_seconds: Math.ceil(((3 + job.trainingSteps) * job.stepMs) / 1000),
      cost: round(trainTokens * 3e-6, 6), // a simulated $3 per million training tokens
      cost_currency: "USD",
      train_tokens_per_step: tokensPerStep,
      train_tokens: trainTokens,
      data_tokens: job.dataTokens,
      estimated_start_time: seconds(job.createdMs + 3 * job.stepMs),
    };
  }

  return {
    handle,
    /** Fine-tuned models whose job succeeded: what chat, FIM and GET /v1/models serve. */
    models(t = now()) {
      return [...jobs.values()]
        .filter((j) => statusAt(j, t) === "SUCCESS")
        .map((j) => ({ id: fineTunedModelName(j), job: j.id, root: j.model, created: seconds(plannedTransitions(j).find((x) => x.status === "SUCCESS")!.at) }));
    },
    clear: () => jobs.clear(),
  };
}

/** An ISO date-time (what the SDK sends) or unix seconds, in epoch milliseconds. */
function instant(value: string | null): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

function isJobStatus(s: string): s is JobStatus {
  return (jobStatuses as readonly string[]).includes(s);
}
