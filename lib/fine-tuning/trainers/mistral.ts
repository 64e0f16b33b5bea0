// The mistral trainer: La Plateforme trains. Bora uploads the job's files there, creates the
// remote job, then polls it and mirrors its checkpoints and end state. Every remote id is saved
// as soon as it exists, so a restarted Bora resumes the same remote job instead of a new one.
import { eq, inArray } from "drizzle-orm";
import { files, fineTuningJobs, type CheckpointMetrics, type FineTuningJob } from "@/db/schema";
import { recordCheckpoint, succeed } from "../progress";
import { transition } from "../transition";
import { type Trainer, type TrainerContext, TrainingFailed } from "./types";
import { upstreamClient } from "./upstream-client";

type RemoteJob = {
  status: string;
  fine_tuned_model?: string | null;
  trained_tokens?: number | null;
  metadata?: { cost?: number | null } | null;
  checkpoints?: { step_number: number; metrics: Partial<CheckpointMetrics>; created_at: number }[];
  events?: { name: string; data?: { status?: string; error?: string } | null }[];
};

const ended = ["SUCCESS", "FAILED", "FAILED_VALIDATION", "CANCELLED"];

async function readAll(ctx: TrainerContext, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of ctx.files.read(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

export const mistralTrainer: Trainer = {
  async run(job, ctx) {
    const upstream = await upstreamClient(ctx.db, job.providerId!, ctx.secret);
    if (job.status === "VALIDATED") job = (await transition(ctx.db, job.id, ["VALIDATED"], "RUNNING")) ?? job;
    // 1. The files, uploaded once each.
    const remoteFiles = { ...job.remoteFileIds };
    const ids = [...job.trainingFiles.map((f) => f.file_id), ...job.validationFiles].filter((id) => !remoteFiles[id]);
    const rows = ids.length ? await ctx.db.select().from(files).where(inArray(files.id, ids)) : [];
    for (const row of rows) {
      if (ctx.signal.aborted) break;
      const up = await upstream.upload("/v1/files", row.filename, await readAll(ctx, row.storageKey), { purpose: "fine-tune" });
      remoteFiles[row.id] = up.id;
      await ctx.db.update(fineTuningJobs).set({ remoteFileIds: remoteFiles }).where(eq(fineTuningJobs.id, job.id));
    }
    // 2. The remote job.
    let remoteJobId = job.remoteJobId;
    if (!remoteJobId && !ctx.signal.aborted) {
      const created = await upstream.json<{ id: string }>("POST", "/v1/fine_tuning/jobs", {
        model: await upstreamModelOf(ctx, job),
        training_files: job.trainingFiles.map((f) => ({ file_id: remoteFiles[f.file_id], weight: f.weight })),
        validation_files: job.validationFiles.map((id) => remoteFiles[id]),
        hyperparameters: job.hyperparameters,
        suffix: job.suffix,
        auto_start: true,
      });
      remoteJobId = created.id;
      await ctx.db.update(fineTuningJobs).set({ remoteJobId }).where(eq(fineTuningJobs.id, job.id));
    }
    // 3. Poll and mirror until it ends, we cancel, or we shut down.
    let cancelSent = false;
    for (;;) {
      if (ctx.signal.aborted && !ctx.cancelling()) return; // shutdown: resumed after the restart
      if (ctx.cancelling() && remoteJobId && !cancelSent) {
        // Refused when the remote job has just ended: the next poll tells how it ended.
        await upstream.json("POST", `/v1/fine_tuning/jobs/${remoteJobId}/cancel`).catch((err: unknown) => {
          if (!(err instanceof TrainingFailed)) throw err;
        });
        cancelSent = true;
      }
      if (!remoteJobId) break;
      const remote = await upstream.json<RemoteJob>("GET", `/v1/fine_tuning/jobs/${remoteJobId}`);
      for (const c of remote.checkpoints ?? []) {
        await recordCheckpoint(ctx.db, job.id, c.step_number, { train_loss: c.metrics.train_loss ?? null, valid_loss: c.metrics.valid_loss ?? null, valid_mean_token_accuracy: c.metrics.valid_mean_token_accuracy ?? null }, null, new Date(c.created_at * 1000));
      }
      if (remote.metadata?.cost != null) await ctx.db.update(fineTuningJobs).set({ cost: remote.metadata.cost, trainedTokens: remote.trained_tokens ?? null }).where(eq(fineTuningJobs.id, job.id));
      if (ended.includes(remote.status)) return finish(job, remote, ctx, remoteJobId);
      await sleep(ctx.pollMs, cancelSent ? new AbortController().signal : ctx.signal);
    }
    // Cancelled before anything existed upstream.
    await transition(ctx.db, job.id, ["CANCELLATION_REQUESTED"], "CANCELLED");
  },
};

async function upstreamModelOf(ctx: TrainerContext, job: FineTuningJob): Promise<string> {
  const { chooseTrainer } = await import("../trainer-choice");
  return (await chooseTrainer(ctx.db, job.workspaceId, job.model)).upstreamModel;
}

async function finish(job: FineTuningJob, remote: RemoteJob, ctx: TrainerContext, remoteJobId: string) {
  if (remote.status === "SUCCESS") {
    if (!remote.fine_tuned_model) throw new TrainingFailed(`The upstream job ${remoteJobId} succeeded without naming its model.`);
    // A cancel that came too late: the model exists upstream, so it is registered anyway.
    await transition(ctx.db, job.id, ["CANCELLATION_REQUESTED"], "RUNNING");
    return succeed(ctx.db, job, { providerId: job.providerId!, upstreamModel: remote.fine_tuned_model }, remote.trained_tokens ?? null);
  }
  if (remote.status === "CANCELLED") {
    await transition(ctx.db, job.id, ["RUNNING", "CANCELLATION_REQUESTED"], "CANCELLED");
    return;
  }
  const why = remote.events?.map((e) => e.data?.error).filter(Boolean).pop() ?? `The upstream job ended ${remote.status}.`;
  throw new TrainingFailed(why);
}
