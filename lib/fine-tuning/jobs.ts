// Fine-tuning jobs of a workspace: create (checked up front: model, files, hyperparameters),
// list, read with events and checkpoints, start (after auto_start false) and cancel. The work
// itself is the runner's (runner.ts); this module only records what was asked.
import { and, asc, count, desc, eq, gt, inArray, lt, max, type SQL } from "drizzle-orm";
import { files, finalJobStatuses, fineTuningCheckpoints, fineTuningEvents, fineTuningJobs, type FineTuningJob } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import { emit } from "@/lib/events";
import type { Executor } from "@/lib/services/context";
import { createJobInput, type ListJobsQuery } from "./job-input";
import { jobView } from "./job-view";
import { chooseTrainer } from "./trainer-choice";
import { transition } from "./transition";

export type JobOwner = { workspaceId: string; keyId?: string | null; userId?: string | null };

export async function createJob(db: Executor, owner: JobOwner, raw: unknown): Promise<FineTuningJob> {
  const input = createJobInput.parse(raw);
  const choice = await chooseTrainer(db, owner.workspaceId, input.model);
  const ids = [...input.training_files.map((f) => f.file_id), ...(input.validation_files ?? [])];
  const found = await db.select({ id: files.id, purpose: files.purpose }).from(files).where(and(eq(files.workspaceId, owner.workspaceId), inArray(files.id, ids)));
  for (const [i, f] of input.training_files.entries()) checkFile(found, f.file_id, `training_files.${i}.file_id`);
  for (const [i, id] of (input.validation_files ?? []).entries()) checkFile(found, id, `validation_files.${i}`);
  const job = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(fineTuningJobs)
      .values({
        workspaceId: owner.workspaceId,
        model: input.model,
        autoStart: input.auto_start,
        suffix: input.suffix ?? null,
        hyperparameters: input.hyperparameters,
        trainingFiles: input.training_files,
        validationFiles: input.validation_files ?? [],
        integrations: input.integrations ?? [],
        trainer: choice.trainer,
        providerId: choice.providerId,
        createdByKeyId: owner.keyId ?? null,
        createdByUserId: owner.userId ?? null,
      })
      .returning();
    await tx.insert(fineTuningEvents).values({ jobId: row!.id, name: "status-updated", data: { status: "QUEUED" } });
    return row!;
  });
  emit("fine-tuning.queued", job.id);
  return job;
}

function checkFile(found: { id: string; purpose: string }[], id: string, param: string) {
  const file = found.find((f) => f.id === id);
  if (!file) throw new BoraError("not_found:file", `No file with id "${id}" in this workspace.`, { param });
  if (file.purpose !== "fine-tune") throw new BoraError("unprocessable:file", `The file "${id}" was uploaded for ${file.purpose}, not fine-tune.`, { param });
}

export async function listJobs(db: Executor, workspaceId: string, q: ListJobsQuery) {
  const filters: (SQL | undefined)[] = [
    eq(fineTuningJobs.workspaceId, workspaceId),
    q.model ? eq(fineTuningJobs.model, q.model) : undefined,
    q.status ? eq(fineTuningJobs.status, q.status) : undefined,
    q.suffix ? eq(fineTuningJobs.suffix, q.suffix) : undefined,
    q.created_after ? gt(fineTuningJobs.createdAt, q.created_after) : undefined,
    q.created_before ? lt(fineTuningJobs.createdAt, q.created_before) : undefined,
  ];
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    db.select().from(fineTuningJobs).where(where).orderBy(desc(fineTuningJobs.createdAt), desc(fineTuningJobs.id)).limit(q.page_size).offset(q.page * q.page_size),
    db.select({ n: count() }).from(fineTuningJobs).where(where),
  ]);
  return { object: "list", data: rows.map((r) => jobView(r)), total: total?.n ?? 0 };
}

/** The last checkpointed step of each job, for progress in lists. */
export async function lastSteps(db: Executor, jobIds: string[]): Promise<Map<string, number>> {
  if (!jobIds.length) return new Map();
  const rows = await db.select({ jobId: fineTuningCheckpoints.jobId, step: max(fineTuningCheckpoints.stepNumber) }).from(fineTuningCheckpoints).where(inArray(fineTuningCheckpoints.jobId, jobIds)).groupBy(fineTuningCheckpoints.jobId);
  return new Map(rows.map((r) => [r.jobId, r.step ?? 0]));
}

export async function getJob(db: Executor, workspaceId: string, id: string): Promise<FineTuningJob> {
  const uuid = /^[0-9a-f-]{36}$/i.test(id);
  const [row] = uuid ? await db.select().from(fineTuningJobs).where(and(eq(fineTuningJobs.id, id), eq(fineTuningJobs.workspaceId, workspaceId))).limit(1) : [];
  if (!row) throw new BoraError("not_found:fine_tuning_job", `No fine-tuning job with id "${id}".`, { param: "job_id" });
  return row;
}

export async function jobDetail(db: Executor, job: FineTuningJob) {
  const [events, checkpoints] = await Promise.all([
    db.select().from(fineTuningEvents).where(eq(fineTuningEvents.jobId, job.id)).orderBy(asc(fineTuningEvents.id)),
    db.select().from(fineTuningCheckpoints).where(eq(fineTuningCheckpoints.jobId, job.id)).orderBy(asc(fineTuningCheckpoints.stepNumber)),
  ]);
  return jobView(job, { events, checkpoints });
}

/** Cancel works in every state that has not ended; the runner finishes it (upstream too). */
export async function cancelJob(db: Executor, workspaceId: string, id: string): Promise<FineTuningJob> {
  const job = await getJob(db, workspaceId, id);
  if (finalJobStatuses.includes(job.status)) throw new BoraError("conflict:fine_tuning_job", `The job has already ended (${job.status}).`);
  const moved = (await transition(db, job.id, ["QUEUED", "STARTED", "VALIDATING", "VALIDATED", "RUNNING"], "CANCELLATION_REQUESTED")) ?? (await getJob(db, workspaceId, id));
  emit("fine-tuning.cancel", job.id);
  return moved;
}

/** Starts a job created with auto_start false, once it is VALIDATED. */
export async function startJob(db: Executor, workspaceId: string, id: string): Promise<FineTuningJob> {
  const job = await getJob(db, workspaceId, id);
  if (job.status !== "VALIDATED") throw new BoraError("conflict:fine_tuning_job", job.status === "QUEUED" || job.status === "VALIDATING" ? "The job is still being validated; start it once it is VALIDATED." : `Only a VALIDATED job can be started; this one is ${job.status}.`);
  const moved = await db.update(fineTuningJobs).set({ autoStart: true }).where(eq(fineTuningJobs.id, job.id)).returning();
  emit("fine-tuning.queued", job.id);
  return moved[0]!;
}
