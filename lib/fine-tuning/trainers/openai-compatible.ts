// The openai-compatible trainer: an upstream with OpenAI's Files and Fine-tuning APIs trains.
// Like the mistral trainer, Bora uploads the job's data there, creates the remote job, then
// polls it and mirrors its checkpoints and end state, saving every remote id as soon as it
// exists so a restarted Bora resumes the same remote job. OpenAI takes one training file and
// one validation file: several are joined into one upload (their weights are dropped).
import { setTimeout as delay } from "node:timers/promises";
import { eq, inArray } from "drizzle-orm";
import { files, fineTuningJobs, type FineTuningJob, type Hyperparameters } from "@/db/schema";
import { recordCheckpoint, succeed } from "../progress";
import { baseDeployment } from "../trainer-choice";
import { transition } from "../transition";
import { type Trainer, type TrainerContext, TrainingFailed } from "./types";
import { upstreamClient, type UpstreamClient } from "./upstream-client";

// OpenAI's FineTuningJob and FineTuningJobCheckpoint, the fields read here.
type RemoteJob = { status: "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled"; fine_tuned_model: string | null; trained_tokens: number | null; error: { message?: string } | null };
type RemoteCheckpoint = { step_number: number; created_at: number; metrics: { train_loss?: number; valid_loss?: number; full_valid_loss?: number; valid_mean_token_accuracy?: number; full_valid_mean_token_accuracy?: number } };

// The learning rate La Plateforme (and Bora's job input) defaults to: the one that maps to
// OpenAI's "auto" multiplier.
const defaultLearningRate = 1e-4;

/**
 * Bora's hyperparameters in OpenAI's terms. epochs → n_epochs (whole, 1 to 50). Without epochs,
 * training_steps becomes whole epochs of one example a step (batch_size 1), so the run is about
 * as long as asked. learning_rate → learning_rate_multiplier, relative to the default rate.
 * Dropped, having no OpenAI counterpart: weight_decay, warmup_fraction, seq_len, fim_ratio.
 */
export function openAIHyperparameters(hp: Hyperparameters, examples: number) {
  const epochs = (n: number) => Math.min(50, Math.max(1, Math.round(n)));
  const lr = hp.learning_rate ?? defaultLearningRate;
  return {
    ...(hp.epochs !== undefined ? { n_epochs: epochs(hp.epochs) } : hp.training_steps !== undefined ? { n_epochs: epochs(Math.ceil(hp.training_steps / Math.max(1, examples))), batch_size: 1 } : {}),
    ...(lr !== defaultLearningRate ? { learning_rate_multiplier: Number((lr / defaultLearningRate).toPrecision(6)) } : {}),
  };
}

async function readAll(ctx: TrainerContext, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of ctx.files.read(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Bora's files of one part of the job as one JSONL text, each file ending its last line. */
async function joined(ctx: TrainerContext, rows: (typeof files.$inferSelect)[]): Promise<Buffer> {
  const parts = await Promise.all(rows.map(async (r) => (await readAll(ctx, r.storageKey)).toString("utf8").replace(/\s*$/, "\n")));
  return Buffer.from(parts.join(""));
}

function gone(id: string): never {
  throw new TrainingFailed(`File ${id} no longer exists.`);
}

// Ends early on abort, and leaves no listener behind on the job's signal (a poll loop of hours
// would pile them up).
const sleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => {});

export const openAICompatibleTrainer: Trainer = {
  async run(job, ctx) {
    const upstream = await upstreamClient(ctx.db, job.providerId!, ctx.secret);
    if (job.status === "VALIDATED") job = (await transition(ctx.db, job.id, ["VALIDATED"], "RUNNING")) ?? job;
    // 1. The data, uploaded once per part (training, validation); a part is keyed by its Bora
    // file ids joined by "+", so a lone file keeps its id as the key, as with the mistral trainer.
    const remoteFiles = { ...job.remoteFileIds };
    const trainingIds = job.trainingFiles.map((f) => f.file_id);
    const rows = await ctx.db.select().from(files).where(inArray(files.id, [...trainingIds, ...job.validationFiles]));
    const parts = [trainingIds, job.validationFiles].filter((ids) => ids.length > 0).map((ids) => ({ key: ids.join("+"), ids }));
    for (const { key, ids } of parts) {
      if (ctx.signal.aborted || remoteFiles[key]) continue;
      const mine = ids.map((id) => rows.find((r) => r.id === id) ?? gone(id));
      const filename = mine.length === 1 ? mine[0]!.filename : "joined.jsonl";
      remoteFiles[key] = (await upstream.upload("/v1/files", filename, await joined(ctx, mine), { purpose: "fine-tune" })).id;
      await ctx.db.update(fineTuningJobs).set({ remoteFileIds: remoteFiles }).where(eq(fineTuningJobs.id, job.id));
    }
    // 2. The remote job.
    let remoteJobId = job.remoteJobId;
    if (!remoteJobId && !ctx.signal.aborted) {
      const [training, validation] = parts;
      const examples = rows.filter((r) => trainingIds.includes(r.id)).reduce((n, r) => n + (r.numLines ?? 0), 0);
      const created = await upstream.json<{ id: string }>("POST", "/v1/fine_tuning/jobs", {
        model: (await baseDeployment(ctx.db, job.workspaceId, job.model)).upstreamModel,
        training_file: remoteFiles[training!.key],
        ...(validation ? { validation_file: remoteFiles[validation.key] } : {}),
        ...(job.suffix ? { suffix: job.suffix } : {}),
        method: { type: "supervised", supervised: { hyperparameters: openAIHyperparameters(job.hyperparameters, examples) } },
        metadata: { bora_job_id: job.id },
      });
      remoteJobId = created.id;
      await ctx.db.update(fineTuningJobs).set({ remoteJobId }).where(eq(fineTuningJobs.id, job.id));
    }
    // 3. Poll and mirror until it ends, we cancel, or we shut down.
    let cancelSent = false;
    for (;;) {
      if (ctx.signal.aborted && !ctx.cancelling()) return; // shutdown: resumed after the restart
      if (!remoteJobId) break;
      if (ctx.cancelling() && !cancelSent) {
        // Refused when the remote job has just ended: the next poll tells how it ended.
        await upstream.json("POST", `/v1/fine_tuning/jobs/${remoteJobId}/cancel`).catch((err: unknown) => {
          if (!(err instanceof TrainingFailed)) throw err;
        });
        cancelSent = true;
      }
      const remote = await upstream.json<RemoteJob>("GET", `/v1/fine_tuning/jobs/${remoteJobId}`);
      if (remote.status === "running" || remote.status === "succeeded") await mirrorCheckpoints(ctx, job.id, upstream, remoteJobId);
      if (remote.status === "succeeded" || remote.status === "failed" || remote.status === "cancelled") return finish(job, remote, ctx, remoteJobId);
      await sleep(ctx.pollMs, cancelSent ? new AbortController().signal : ctx.signal);
    }
    // Cancelled before anything existed upstream.
    await transition(ctx.db, job.id, ["CANCELLATION_REQUESTED"], "CANCELLED");
  },
};

// OpenAI keeps the checkpoints of the last epochs only: what it lists is recorded, once a step.
async function mirrorCheckpoints(ctx: TrainerContext, jobId: string, upstream: UpstreamClient, remoteJobId: string) {
  const page = await upstream.json<{ data: RemoteCheckpoint[] }>("GET", `/v1/fine_tuning/jobs/${remoteJobId}/checkpoints?limit=100`);
  for (const c of page.data) {
    const m = c.metrics;
    await recordCheckpoint(ctx.db, jobId, c.step_number, { train_loss: m.train_loss ?? null, valid_loss: m.valid_loss ?? m.full_valid_loss ?? null, valid_mean_token_accuracy: m.full_valid_mean_token_accuracy ?? m.valid_mean_token_accuracy ?? null }, null, new Date(c.created_at * 1000));
  }
}

async function finish(job: FineTuningJob, remote: RemoteJob, ctx: TrainerContext, remoteJobId: string) {
  if (remote.status === "succeeded") {
    if (!remote.fine_tuned_model) throw new TrainingFailed(`The upstream job ${remoteJobId} succeeded without naming its model.`);
    // A cancel that came too late: the model exists upstream, so it is registered anyway.
    await transition(ctx.db, job.id, ["CANCELLATION_REQUESTED"], "RUNNING");
    return succeed(ctx.db, job, { providerId: job.providerId!, upstreamModel: remote.fine_tuned_model }, remote.trained_tokens ?? null);
  }
  if (remote.status === "cancelled") {
    await transition(ctx.db, job.id, ["RUNNING", "CANCELLATION_REQUESTED"], "CANCELLED");
    return;
  }
  throw new TrainingFailed(remote.error?.message || `The upstream job ${remoteJobId} failed.`);
}
