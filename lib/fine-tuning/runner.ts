// Runs fine-tuning jobs durably. A job row is leased (owner + expiry, renewed while it runs)
// with FOR UPDATE SKIP LOCKED, so each job runs in one worker at a time across processes, and a
// job whose worker died is picked up again when its lease runs out. Hiccups (network, 5xx, 429)
// are retried with backoff; refusals fail the job with the reason.
import crypto from "node:crypto";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { finalJobStatuses, fineTuningJobs, type FineTuningJob } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { on } from "@/lib/events";
import type { FileStore } from "@/lib/files/store";
import { log } from "@/lib/log";
import { transition } from "./transition";
import { commandTrainer } from "./trainers/command";
import { mistralTrainer } from "./trainers/mistral";
import { openAICompatibleTrainer } from "./trainers/openai-compatible";
import { type Trainer, TrainingFailed } from "./trainers/types";
import { validateJob } from "./validate-job";
import { rowsOf } from "@/lib/db/rows";

const trainers: Record<FineTuningJob["trainer"], Trainer> = { mistral: mistralTrainer, "openai-compatible": openAICompatibleTrainer, command: commandTrainer };
const leaseSeconds = 30;
const maxAttempts = 8;

export type RunnerOptions = { db: Db; files: FileStore; dataDir: string; secret: string; pollMs?: number; concurrency?: number };

export class FineTuningRunner {
  private readonly owner = `${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  private readonly active = new Map<string, { abort: AbortController; cancelling: boolean; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private ticking = false;
  private closed = false;
  private readonly offs: (() => void)[] = [];

  constructor(private readonly opts: RunnerOptions) {}

  start() {
    const poll = this.opts.pollMs ?? 2_000;
    this.timer = setInterval(() => void this.tick(), poll);
    this.heartbeat = setInterval(() => void this.renew(), (leaseSeconds * 1000) / 3);
    this.offs.push(on("fine-tuning.queued", () => void this.tick()));
    this.offs.push(on("fine-tuning.cancel", (id) => this.cancel(id)));
    void this.tick();
  }

  /** Leases and starts every job it has room for. */
  async tick() {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      while (this.active.size < (this.opts.concurrency ?? 4)) {
        const job = await this.lease();
        if (!job) break;
        this.launch(job);
      }
    } catch (err) {
      log.error("fine-tuning runner: leasing failed", { err });
    } finally {
      this.ticking = false;
    }
  }

  private async lease(): Promise<FineTuningJob | undefined> {
    const final = sql.join(finalJobStatuses.map((s) => sql`${s}`), sql`, `);
    const rows = await this.opts.db.execute<{ id: string }>(sql`
      update fine_tuning_jobs set lease_owner = ${this.owner}, lease_until = now() + make_interval(secs => ${leaseSeconds})
      where id = (
        select id from fine_tuning_jobs
        where status not in (${final}) and not (status = 'VALIDATED' and auto_start = false)
          and (lease_until is null or lease_until < now())
        order by created_at limit 1 for update skip locked)
      returning id`);
    const id = rowsOf<{ id: string }>(rows)[0]?.id;
    if (!id) return undefined;
    const [job] = await this.opts.db.select().from(fineTuningJobs).where(eq(fineTuningJobs.id, id));
    return job;
  }

  private launch(job: FineTuningJob) {
    const abort = new AbortController();
    const entry = { abort, cancelling: job.status === "CANCELLATION_REQUESTED", done: Promise.resolve() };
    this.active.set(job.id, entry);
    if (entry.cancelling) abort.abort(); // cancelled while no worker held it
    entry.done = this.work(job, entry).finally(() => this.active.delete(job.id));
  }

  private async work(job: FineTuningJob, entry: { abort: AbortController; cancelling: boolean }) {
    const { db } = this.opts;
    let delaySeconds = 0;
    try {
      if (job.status === "QUEUED" || job.status === "VALIDATING") {
        const validated = await validateJob(db, this.opts.files, job);
        if (!validated || validated.status !== "VALIDATED" || !validated.autoStart) return;
        job = validated;
      }
      await trainers[job.trainer].run(job, {
        db,
        files: this.opts.files,
        workDir: path.join(this.opts.dataDir, "fine-tuning", job.id),
        secret: this.opts.secret,
        signal: entry.abort.signal,
        cancelling: () => entry.cancelling,
        pollMs: this.opts.pollMs ?? 2_000,
      });
      await db.update(fineTuningJobs).set({ attempts: 0 }).where(eq(fineTuningJobs.id, job.id));
    } catch (err) {
      const attempts = job.attempts + 1;
      if (err instanceof TrainingFailed || attempts >= maxAttempts) {
        const reason = err instanceof Error ? err.message : String(err);
        await transition(db, job.id, ["QUEUED", "STARTED", "VALIDATING", "VALIDATED", "RUNNING", "CANCELLATION_REQUESTED"], "FAILED", { failureReason: reason }, { error: reason }).catch(() => {});
      } else {
        // Try again later, backing off: 2, 4, 8 … seconds, at most five minutes.
        delaySeconds = Math.min(300, 2 ** attempts);
        log.warn("fine-tuning job hit an error; will retry", { job: job.id, attempts, err });
        await db.update(fineTuningJobs).set({ attempts }).where(eq(fineTuningJobs.id, job.id)).catch(() => {});
      }
    } finally {
      await db
        .update(fineTuningJobs)
        .set({ leaseOwner: null, leaseUntil: delaySeconds ? sql`now() + make_interval(secs => ${delaySeconds})` : null })
        .where(and(eq(fineTuningJobs.id, job.id), eq(fineTuningJobs.leaseOwner, this.owner)))
        .catch(() => {});
      if (!this.closed) setImmediate(() => void this.tick());
    }
  }

  private cancel(id: string) {
    const entry = this.active.get(id);
    if (!entry) return void this.tick();
    entry.cancelling = true;
    entry.abort.abort();
  }

  // Keeps the leases of running jobs, and notices cancels made by another process.
  private async renew() {
    for (const [id, entry] of this.active) {
      const [row] = await this.opts.db
        .update(fineTuningJobs)
        .set({ leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})` })
        .where(and(eq(fineTuningJobs.id, id), eq(fineTuningJobs.leaseOwner, this.owner)))
        .returning({ status: fineTuningJobs.status })
        .catch(() => []);
      if (row?.status === "CANCELLATION_REQUESTED" && !entry.cancelling) this.cancel(id);
    }
  }

  /** Stops taking jobs and lets the running ones stop where they can resume. */
  async close() {
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    for (const off of this.offs) off();
    for (const entry of this.active.values()) entry.abort.abort();
    await Promise.all([...this.active.values()].map((e) => e.done));
  }
}
