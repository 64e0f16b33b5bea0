// OpenAI's Files and Fine-tuning APIs on the OpenAI dialect (/openai/v1/files,
// /openai/v1/fine_tuning/jobs), with the wire shapes of the `openai` package v5 (FineTuningJob,
// FineTuningJobEvent, FineTuningJobCheckpoint). Off unless the `openaiFineTuning` option is set:
// most OpenAI-compatible servers (vLLM, Ollama) have neither API, and Bora probes for them. The
// files are a store of La Plateforme's kind (files.ts, so they answer in its shape, without
// OpenAI's deprecated `status`); progress is the same clock (training.ts) under OpenAI's names.
import crypto from "node:crypto";
import type { ServerResponse } from "node:http";
import { countTokens } from "./content";
import { createFiles, lines, type PlatformRequest } from "./files";
import { defaultFineTuneStepMs } from "./fine-tuning";
import { validateSamples } from "./job-in";
import { error, json } from "./respond";
import { checkpointsAt, runStart, statusAt, transitionsAt, type JobStatus, type SimJob } from "./training";

export type OpenAIFineTuningDeps = {
  /** The simulator's live options: `openaiFineTuning` turns the APIs on, `fineTuneStepMs` paces jobs. */
  options: { openaiFineTuning?: boolean; fineTuneStepMs?: number };
  /** A queued HTTP-status fault for this model, if any: it fails one job GET, so pollers' retries can be tested. */
  failure: (model: string, res: ServerResponse) => boolean;
  now?: () => number;
};

type Hyperparameters = { n_epochs: number; batch_size: number; learning_rate_multiplier: number };
type OpenAIJob = SimJob & { hyperparameters: Hyperparameters; seed: number; metadata: Record<string, string> | null };

const org = "simulator";
// What "auto" resolves to here. OpenAI sizes batches at about 0.2% of the examples (1 to 256).
const autoEpochs = 3;
const autoMultiplier = 1.8;
const limits = { n_epochs: [1, 50], batch_size: [1, 256], learning_rate_multiplier: [0.01, 10] } as const;

const statusNames: Record<JobStatus, string> = {
  QUEUED: "validating_files",
  VALIDATING: "validating_files",
  STARTED: "queued",
  VALIDATED: "queued",
  RUNNING: "running",
  SUCCESS: "succeeded",
  FAILED_VALIDATION: "failed",
  FAILED: "failed",
  // OpenAI's cancel takes effect at once: there is no "cancelling".
  CANCELLATION_REQUESTED: "cancelled",
  CANCELLED: "cancelled",
};
const ends: JobStatus[] = ["SUCCESS", "FAILED_VALIDATION", "FAILED", "CANCELLATION_REQUESTED"];

export function createOpenAIFineTuning({ options, failure, now = Date.now }: OpenAIFineTuningDeps) {
  const files = createFiles();
  const jobs = new Map<string, OpenAIJob>();
  const stepMs = () => Math.max(1, options.fineTuneStepMs ?? defaultFineTuneStepMs);

  async function handle({ req, res, url, path, body }: PlatformRequest) {
    const [, , , , id, action, ...rest] = path.split("/"); // "", "v1", "fine_tuning", "jobs", id, action
    const method = req.method ?? "GET";
    if (rest.length) return error(res, "openai", 404, `No route ${method} ${path}`);
    // POST /v1/fine_tuning/jobs: create; GET: list, newest first
    if (!id && method === "POST") return create(res, body);
    if (!id && method === "GET") return json(res, 200, page([...jobs.values()].reverse().map((j) => wire(j, now())), url, 20));
    const job = jobs.get(id ?? "");
    if (!job) return error(res, "openai", 404, `Could not find fine-tuning job ${id}`);
    const t = now();
    // GET /v1/fine_tuning/jobs/{id}
    if (!action && method === "GET") {
      if (failure(job.model, res)) return;
      return json(res, 200, wire(job, t));
    }
    // POST /v1/fine_tuning/jobs/{id}/cancel
    if (action === "cancel" && method === "POST") {
      if (ends.includes(statusAt(job, t))) return error(res, "openai", 400, `Job ${id} has already ended: ${statusNames[statusAt(job, t)]}.`);
      job.cancelMs = t;
      return json(res, 200, wire(job, t));
    }
    // GET /v1/fine_tuning/jobs/{id}/events, newest first
    if (action === "events" && method === "GET") return json(res, 200, page(events(job, t), url, 20));
    // GET /v1/fine_tuning/jobs/{id}/checkpoints, newest first
    if (action === "checkpoints" && method === "GET") {
      const all = checkpointsAt(job, t)
        .map((c) => ({
          id: `ftckpt-${digest(`${job.id}:${c.step}`)}`,
          object: "fine_tuning.job.checkpoint",
          created_at: seconds(c.at),
          fine_tuned_model_checkpoint: `${modelName(job)}:ckpt-step-${c.step}`,
          fine_tuning_job_id: job.id,
          step_number: c.step,
          metrics: { step: c.step, train_loss: c.trainLoss, ...(c.validLoss === null ? {} : { valid_loss: c.validLoss, full_valid_loss: c.validLoss, valid_mean_token_accuracy: c.validAccuracy, full_valid_mean_token_accuracy: c.validAccuracy }) },
        }))
        .reverse();
      const listed = page(all, url, 10);
      return json(res, 200, { ...listed, first_id: listed.data[0]?.id ?? null, last_id: listed.data.at(-1)?.id ?? null });
    }
    return error(res, "openai", 404, `No route ${method} ${path}`);
  }

  function create(res: ServerResponse, raw: Buffer) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      return error(res, "openai", 400, "We could not parse the JSON body of your request.");
    }
    if (typeof body.model !== "string" || !body.model) return error(res, "openai", 400, "Missing required parameter: 'model'.");
    if (typeof body.training_file !== "string") return error(res, "openai", 400, "Missing required parameter: 'training_file'.");
    const fileIds = [body.training_file, ...(body.validation_file == null ? [] : [body.validation_file])];
    for (const [i, fileId] of fileIds.entries()) {
      const file = typeof fileId === "string" ? files.get(fileId) : undefined;
      const param = i === 0 ? "training_file" : "validation_file";
      if (!file) return error(res, "openai", 400, `invalid ${param}: ${String(fileId)}`);
      if (file.purpose !== "fine-tune") return error(res, "openai", 400, `invalid ${param}: ${file.id} was uploaded for ${file.purpose}, not fine-tune`);
    }
    if (body.suffix != null && (typeof body.suffix !== "string" || body.suffix.length > 64)) return error(res, "openai", 400, "suffix: must be a string of at most 64 characters");
    const m = body.method as { type?: unknown; supervised?: { hyperparameters?: unknown } } | undefined;
    if (m !== undefined && m.type !== "supervised") return error(res, "openai", 400, `method.type: the simulator trains "supervised" only, not ${JSON.stringify(m.type)}`);
    const texts = fileIds.map((f) => files.get(f as string)!.content.toString("utf8"));
    const examples = lines(texts[0]!).length;
    const hp = hyperparameters(m?.supervised?.hyperparameters ?? body.hyperparameters, examples);
    if ("invalid" in hp) return error(res, "openai", 400, hp.invalid);
    const trainingSteps = Math.max(1, Math.ceil(examples / hp.batch_size) * hp.n_epochs);
    const id = `ftjob-${crypto.randomBytes(12).toString("hex")}`;
    const job: OpenAIJob = {
      id,
      model: body.model,
      suffix: (body.suffix as string | null | undefined) ?? null,
      autoStart: true,
      trainingFiles: [body.training_file],
      validationFiles: fileIds.slice(1) as string[],
      integrations: Array.isArray(body.integrations) ? body.integrations : null,
      hyperparameters: hp,
      trainingSteps,
      stepMs: stepMs(),
      dataTokens: Math.max(1, countTokens(texts[0]!)),
      // OpenAI wants at least ten examples, each a conversation that ends in an assistant turn.
      invalid: examples < 10 ? `Training file has ${examples} example(s), but must have at least 10 examples` : (texts.map((x) => validateSamples(x)).find((e) => e !== null) ?? null),
      createdMs: now(),
      startMs: null,
      cancelMs: null,
      seed: typeof body.seed === "number" ? body.seed : crypto.randomInt(1, 2 ** 31),
      metadata: (body.metadata as Record<string, string> | null | undefined) ?? null,
    };
    jobs.set(id, job);
    return json(res, 200, wire(job, job.createdMs));
  }

  /** Fine-tuned models whose job succeeded: what chat serves. */
  function models(t = now()) {
    return [...jobs.values()].filter((j) => statusAt(j, t) === "SUCCESS").map((j) => ({ id: modelName(j), job: j.id, root: j.model }));
  }

  return {
    /** The handler of a path of the OpenAI dialect, when it is one of these APIs and they are on. */
    route(path: string): { handle: (r: PlatformRequest) => Promise<unknown> } | undefined {
      if (!options.openaiFineTuning) return undefined;
      if (/^\/v1\/files(\/|$)/.test(path)) return files;
      return /^\/v1\/fine_tuning\/jobs(\/|$)/.test(path) ? { handle } : undefined;
    },
    models,
    /** True for an `ft:` name no job of this server made, while the APIs are on: OpenAI answers 404. */
    unknownModel(model: string) {
      return Boolean(options.openaiFineTuning) && model.startsWith("ft:") && !models().some((m) => m.id === model);
    },
    clear() {
      files.clear();
      jobs.clear();
    },
  };
}

/** n_epochs, batch_size and learning_rate_multiplier, each a number in its range or "auto". */
function hyperparameters(raw: unknown, examples: number): Hyperparameters | { invalid: string } {
  const given = (raw ?? {}) as Record<string, unknown>;
  if (typeof given !== "object" || Array.isArray(given)) return { invalid: "hyperparameters: must be an object" };
  const auto: Hyperparameters = { n_epochs: autoEpochs, batch_size: Math.min(256, Math.max(1, Math.round(examples * 0.002))), learning_rate_multiplier: autoMultiplier };
  const out = { ...auto };
  for (const key of Object.keys(limits) as (keyof Hyperparameters)[]) {
    const v = given[key];
    if (v === undefined || v === "auto") continue;
    const [min, max] = limits[key];
    const whole = key !== "learning_rate_multiplier";
    if (typeof v !== "number" || v < min || v > max || (whole && !Number.isInteger(v))) return { invalid: `hyperparameters.${key}: must be "auto" or ${whole ? "an integer" : "a number"} from ${min} to ${max}` };
    out[key] = v;
  }
  return out;
}

/** `ft:<base>:<org>:<suffix>:<id>`, the suffix empty when none was given, as OpenAI names them. */
function modelName(job: OpenAIJob): string {
  return `ft:${job.model}:${org}:${job.suffix ?? ""}:${job.id.slice(6, 14)}`;
}

function wire(job: OpenAIJob, t: number) {
  const status = statusAt(job, t);
  const done = transitionsAt(job, t).find((x) => ends.includes(x.status));
  const failed = transitionsAt(job, t).find((x) => x.error);
  const { n_epochs, batch_size, learning_rate_multiplier } = job.hyperparameters;
  const hp = { n_epochs, batch_size, learning_rate_multiplier };
  return {
    id: job.id,
    object: "fine_tuning.job",
    model: job.model,
    created_at: seconds(job.createdMs),
    finished_at: done ? seconds(done.at) : null,
    fine_tuned_model: status === "SUCCESS" ? modelName(job) : null,
    organization_id: `org-${org}`,
    result_files: [],
    status: statusNames[status],
    training_file: job.trainingFiles[0],
    validation_file: job.validationFiles[0] ?? null,
    hyperparameters: hp,
    method: { type: "supervised", supervised: { hyperparameters: hp } },
    trained_tokens: status === "SUCCESS" ? job.dataTokens * n_epochs : null,
    error: failed ? { code: "invalid_training_file", message: failed.error, param: "training_file" } : null,
    user_provided_suffix: job.suffix,
    seed: job.seed,
    estimated_finish: done ? null : seconds((runStart(job) ?? job.createdMs) + job.trainingSteps * job.stepMs),
    integrations: job.integrations,
    metadata: job.metadata,
  };
}

// What OpenAI's event log says at each transition; a cancel is one event, as it is one step there.
const messages: Partial<Record<JobStatus, (job: OpenAIJob) => string>> = {
  QUEUED: (j) => `Created fine-tuning job: ${j.id}`,
  VALIDATING: (j) => `Validating training file: ${j.trainingFiles[0]}${j.validationFiles.length ? ` and validation file: ${j.validationFiles[0]}` : ""}`,
  VALIDATED: () => "Files validated, moving job to queued state",
  RUNNING: () => "Fine-tuning job started",
  SUCCESS: (j) => `The job has successfully completed. New fine-tuned model created: ${modelName(j)}`,
  CANCELLATION_REQUESTED: () => "The job was cancelled",
};

/** The event log, newest first: a message per transition and a metrics event per checkpoint. */
function events(job: OpenAIJob, t: number) {
  const metrics = checkpointsAt(job, t).map((c) => ({
    at: c.at,
    level: "info",
    type: "metrics",
    message: `Step ${c.step}/${job.trainingSteps}: training loss=${c.trainLoss.toFixed(4)}`,
    data: { step: c.step, total_steps: job.trainingSteps, train_loss: c.trainLoss, ...(c.validLoss === null ? {} : { valid_loss: c.validLoss, full_valid_loss: c.validLoss }) },
  }));
  const said = transitionsAt(job, t).flatMap((x) => {
    const message = x.error ?? messages[x.status]?.(job);
    return message ? [{ at: x.at, level: x.error ? "error" : "info", type: "message", message, data: {} }] : [];
  });
  // A stable sort: a checkpoint written at the instant the job ends comes before the end.
  return [...metrics, ...said]
    .sort((a, b) => a.at - b.at)
    .map(({ at, ...e }, i) => ({ id: `ftevent-${digest(`${job.id}:${i}`)}`, object: "fine_tuning.job.event", created_at: seconds(at), ...e }))
    .reverse();
}

/** OpenAI's cursor pages: `limit` items after the one whose id is `after`. */
function page<T extends { id: string }>(items: T[], url: URL, defaultLimit: number) {
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get("limit")) || defaultLimit));
  const after = url.searchParams.get("after");
  const from = after ? items.findIndex((x) => x.id === after) + 1 : 0;
  return { object: "list", data: items.slice(from, from + limit), has_more: from + limit < items.length };
}

function digest(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex").slice(0, 24);
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
