// Runs batch lines durably. Lines are leased (FOR UPDATE SKIP LOCKED, a short lease renewed while
// they run), each sent through this Bora's own /v1 with the batch's signed credential, so they
// take the same path as live traffic (limits in the batch lane, routing, fallback, metering at
// the batch price). A line's result is written to its row only while its lease is ours: after a
// crash a line runs again, but its result exists once.
import crypto from "node:crypto";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { batchJobs, batchLines } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { on } from "@/lib/events";
import type { FileStore } from "@/lib/files/store";
import { TrainingFailed } from "@/lib/fine-tuning/trainers/types";
import type { Gateway } from "@/lib/gateway/gateway";
import { httpRequest } from "@/lib/http/client";
import { log } from "@/lib/log";
import { batchCredential, batchHeader } from "./credential";
import { finishBatch } from "./results";
import { advanceUpstream } from "./upstream";
import { rowsOf } from "@/lib/db/rows";

const leaseSeconds = 30;
// Upstream failures (5xx) are retried a few times; rate limits (429) wait their turn much longer.
const maxAttempts = { server: 5, limited: 60 };

export type BatchWorkerOptions = {
  db: Db;
  files: FileStore;
  secret: string;
  gatewayUrl: () => string;
  /** For batches forwarded upstream: the gateway's catalog (prices) and meter. */
  gateway?: Gateway;
  pollMs?: number;
  concurrency?: number;
  singleProcess?: boolean;
};

type Claimed = { batchId: string; index: number; body: Record<string, unknown>; attempts: number; endpoint: string };

export class BatchWorker {
  private readonly owner = `${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  private readonly running = new Set<Promise<void>>();
  private readonly ticks = new Set<Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private filling = false;
  private closed = false;
  private off: (() => void) | undefined;

  constructor(private readonly opts: BatchWorkerOptions) {}

  async start() {
    // Alone on the database (PGlite), no other worker can hold a lease: lines a crash left
    // "running" are free at once, not when their lease runs out.
    if (this.opts.singleProcess) await this.opts.db.update(batchLines).set({ status: "pending", leaseOwner: null, leaseUntil: null }).where(eq(batchLines.status, "running"));
    this.timers.push(setInterval(() => void this.tick(), this.opts.pollMs ?? 1_000));
    this.timers.push(setInterval(() => void this.renew(), (leaseSeconds * 1000) / 3));
    this.off = on("batch.queued", () => void this.tick());
    void this.tick();
  }

  get inFlight() {
    return this.running.size;
  }

  /** Starts queued jobs, runs what there is room for, and ends jobs with nothing left. */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    // Kept until done, so close() waits for it rather than closing the database under it.
    const p = this.runTick().finally(() => this.ticks.delete(p));
    this.ticks.add(p);
    return p;
  }

  private async runTick() {
    try {
      await this.opts.db.update(batchJobs).set({ status: "RUNNING", startedAt: new Date() }).where(eq(batchJobs.status, "QUEUED"));
      await this.fill();
      await this.finishJobs();
      await this.forward();
    } catch (err) {
      log.error("batch worker: tick failed", { err });
    }
  }

  // Claims lines for the free slots. Called whenever a line ends, so coalesced: one claim at a
  // time, taking every slot freed meanwhile.
  private async fill() {
    if (this.filling || this.closed) return;
    this.filling = true;
    try {
      const free = (this.opts.concurrency ?? 32) - this.running.size;
      if (free > 0) for (const line of await this.claim(free)) this.launch(line);
    } finally {
      this.filling = false;
    }
  }

  // Oldest job first; within it, lines in input order, read along the primary key (no sort over
  // every pending line). Lines whose lease ran out (their worker died) are taken back too.
  private async claim(n: number): Promise<Claimed[]> {
    const taken: Claimed[] = [];
    const jobs = await this.opts.db.execute(sql`
      select id, endpoint from batch_jobs
      where status = 'RUNNING' and mode = 'lines' and created_at + make_interval(hours => timeout_hours) > now()
      order by created_at limit 20`);
    for (const job of rowsOf<{ id: string; endpoint: string }>(jobs)) {
      if (taken.length >= n) break;
      // The lines to take are chosen once, in a materialized CTE. As a subquery in FROM, the
      // planner could scan it again for each row it joined, and with SKIP LOCKED each scan
      // skipped the lines the last one had locked and took new ones: a claim of 32 took 240.
      const rows = await this.opts.db.execute(sql`
        with c as materialized (
          select index from batch_lines
          where batch_id = ${job.id}
            and ((status = 'pending' and (not_before is null or not_before <= now())) or (status = 'running' and lease_until < now()))
          order by index limit ${n - taken.length} for update skip locked)
        update batch_lines l set status = 'running', lease_owner = ${this.owner}, lease_until = now() + make_interval(secs => ${leaseSeconds}), attempts = l.attempts + 1
        from c
        where l.batch_id = ${job.id} and l.index = c.index
        returning l.batch_id as "batchId", l.index, l.body, l.attempts`);
      for (const r of rowsOf<Omit<Claimed, "endpoint">>(rows)) taken.push({ ...r, endpoint: job.endpoint });
    }
    return taken;
  }

  private launch(line: Claimed) {
    const p = this.run(line)
      .catch((err) => log.error("batch worker: a line failed to record", { err, batch: line.batchId, index: line.index }))
      .finally(() => {
        this.running.delete(p);
        if (!this.closed) setImmediate(() => void this.fill().catch((err: unknown) => log.error("batch worker: claiming failed", { err })));
      });
    this.running.add(p);
  }

  private async run(line: Claimed) {
    let status: number;
    let body: unknown;
    let retryAfter: number | undefined;
    try {
      const res = await httpRequest(this.opts.gatewayUrl(), line.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", [batchHeader]: batchCredential(this.opts.secret, line.batchId) },
        body: JSON.stringify({ ...line.body, stream: false }),
        timeoutMs: 300_000,
      });
      status = res.statusCode;
      retryAfter = Number(res.headers["retry-after"]) || undefined;
      body = parseOrNull(await res.body.text());
    } catch {
      // Our own gateway did not answer (shutting down): the line goes back, its attempt unspent.
      return this.record(line, { status: "pending", attempts: line.attempts - 1, notBefore: new Date(Date.now() + 1000) });
    }
    if (status < 300) return this.record(line, { status: "succeeded", responseStatus: status, responseBody: body, completedAt: new Date(), tokens: (body as { usage?: { total_tokens?: number } })?.usage?.total_tokens ?? null });
    const limited = status === 429;
    const retryable = limited || status >= 500;
    if (retryable && line.attempts < (limited ? maxAttempts.limited : maxAttempts.server)) {
      const waitMs = (retryAfter ?? Math.min(60, 2 ** line.attempts)) * 1000;
      return this.record(line, { status: "pending", notBefore: new Date(Date.now() + waitMs) });
    }
    const e = (body ?? {}) as { message?: string; code?: string };
    return this.record(line, { status: "failed", responseStatus: status, responseBody: body, error: { message: e.message ?? `HTTP ${status}`, code: e.code ?? `http_${status}` }, completedAt: new Date() });
  }

  private async record(line: Claimed, changes: Partial<typeof batchLines.$inferInsert>) {
    await this.opts.db
      .update(batchLines)
      .set({ ...changes, leaseOwner: null, leaseUntil: null })
      .where(and(eq(batchLines.batchId, line.batchId), eq(batchLines.index, line.index), eq(batchLines.leaseOwner, this.owner)));
  }

  // Jobs with nothing left to run end: SUCCESS, CANCELLED, or TIMEOUT_EXCEEDED past their time.
  // A cancelled or timed-out job waits only for lines whose lease is alive: a line a dead worker
  // held does not keep it open.
  private async finishJobs() {
    const { db } = this.opts;
    const open = await db.select().from(batchJobs).where(and(inArray(batchJobs.status, ["RUNNING", "CANCELLATION_REQUESTED"]), eq(batchJobs.mode, "lines")));
    for (const job of open) {
      const [left] = await db
        .select({
          pending: sql<number>`count(*) filter (where status = 'pending')::int`,
          running: sql<number>`count(*) filter (where status = 'running')::int`,
          live: sql<number>`count(*) filter (where status = 'running' and lease_until > now())::int`,
        })
        .from(batchLines)
        .where(and(eq(batchLines.batchId, job.id), inArray(batchLines.status, ["pending", "running"])));
      const timedOut = job.createdAt.getTime() + job.timeoutHours * 3_600_000 < Date.now();
      if (job.status === "CANCELLATION_REQUESTED" && !left?.live) await finishBatch(db, this.opts.files, job, job.status, "CANCELLED");
      else if (job.status === "RUNNING" && timedOut && !left?.live) await finishBatch(db, this.opts.files, job, job.status, "TIMEOUT_EXCEEDED");
      else if (job.status === "RUNNING" && !left?.pending && !left?.running) await finishBatch(db, this.opts.files, job, job.status, "SUCCESS");
    }
  }

  // Batches forwarded upstream: one at a time, leased so one worker polls each; a refusal of the
  // upstream (4xx) ends the batch as FAILED, a hiccup is tried again on a later tick.
  private async forward() {
    const gw = this.opts.gateway;
    if (!gw) return;
    const rows = rowsOf<{ id: string }>(
      await this.opts.db.execute(sql`
        update batch_jobs set lease_owner = ${this.owner}, lease_until = now() + make_interval(secs => ${leaseSeconds * 2})
        where id = (
          select id from batch_jobs where mode = 'upstream' and status in ('RUNNING', 'CANCELLATION_REQUESTED')
            and (lease_until is null or lease_until < now())
          order by created_at limit 1 for update skip locked)
        returning id`),
    );
    for (const { id } of rows) {
      const [job] = await this.opts.db.select().from(batchJobs).where(eq(batchJobs.id, id));
      if (!job) continue;
      try {
        await advanceUpstream(gw, job);
      } catch (err) {
        if (!(err instanceof TrainingFailed)) {
          log.warn("batch worker: the upstream batch did not answer; will retry", { batch: id, err });
        } else {
          await this.opts.db.update(batchLines).set({ status: "failed", error: { message: err.message, code: "upstream_refused" }, completedAt: new Date() }).where(and(eq(batchLines.batchId, id), eq(batchLines.status, "pending")));
          await finishBatch(this.opts.db, this.opts.files, job, job.status, "FAILED");
        }
      } finally {
        // Polled again after a short pause, by whichever worker gets it.
        await this.opts.db.update(batchJobs).set({ leaseOwner: null, leaseUntil: sql`now() + interval '1 second'` }).where(and(eq(batchJobs.id, id), eq(batchJobs.leaseOwner, this.owner)));
      }
    }
  }

  private async renew() {
    if (!this.running.size) return;
    await this.opts.db
      .update(batchLines)
      .set({ leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})` })
      .where(and(eq(batchLines.leaseOwner, this.owner), eq(batchLines.status, "running"), lt(batchLines.leaseUntil, sql`now() + make_interval(secs => ${leaseSeconds})`)))
      .catch((err: unknown) => log.error("batch worker: renewing leases failed", { err }));
  }

  /** Stops taking lines and waits (up to `ms`) for those in flight; the rest resume later. */
  async close(ms = 10_000) {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.off?.();
    // Ticks first: one under way may still launch lines.
    const drained = (async () => {
      await Promise.all(this.ticks);
      await Promise.all(this.running);
    })();
    await Promise.race([drained, new Promise((r) => setTimeout(r, ms))]);
  }
}

// A line's answer as JSON, or null when it is not (an error page from something in between).
function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
