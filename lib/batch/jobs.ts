// Batch jobs of a workspace: create (the whole input checked and its lines stored in one
// transaction), list, read with counts, cancel. Running the lines is the worker's job.
import { and, count, desc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { batchJobs, batchLines, batchStatuses, files, finalBatchStatuses, workspaces, type BatchJob } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import { emit } from "@/lib/events";
import type { FileStore } from "@/lib/files/store";
import { baseDeployment } from "@/lib/fine-tuning/trainer-choice";
import type { Executor } from "@/lib/services/context";
import { checkLines, createBatchInput, parseJsonl, refuse, type LineProblem } from "./input";

export type BatchOwner = { workspaceId: string; keyId?: string | null; userId?: string | null };

async function readText(store: FileStore, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of store.read(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function createBatch(db: Executor, store: FileStore, owner: BatchOwner, raw: unknown): Promise<BatchJob> {
  const input = createBatchInput.parse(raw);
  let rawLines: { line: number; value: unknown }[] = [];
  const problems: LineProblem[] = [];
  if (input.input_files?.length) {
    const rows = await db.select().from(files).where(and(eq(files.workspaceId, owner.workspaceId), inArray(files.id, input.input_files)));
    for (const [i, id] of input.input_files.entries()) {
      const file = rows.find((r) => r.id === id);
      if (!file) throw new BoraError("not_found:file", `No file with id "${id}" in this workspace.`, { param: `input_files.${i}` });
      const parsed = parseJsonl(await readText(store, file.storageKey));
      if (!Array.isArray(parsed)) problems.push({ ...parsed, file: file.filename });
      else rawLines = rawLines.concat(parsed.map((l) => ({ line: rawLines.length + l.line, value: l.value })));
    }
  } else {
    rawLines = (input.requests ?? []).map((value, i) => ({ line: i + 1, value }));
  }
  const checked = checkLines(rawLines, input.endpoint, input.model);
  problems.push(...checked.problems);
  if (problems.length) refuse(problems);
  if (checked.lines.length === 0) throw new BoraError("unprocessable:batch_input", "The input has no requests.", { param: "input_files" });

  const route = await routeOf(db, owner.workspaceId, input.model);
  const job = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(batchJobs)
      .values({ ...route, workspaceId: owner.workspaceId, apiKeyId: owner.keyId ?? null, createdByUserId: owner.userId ?? null, endpoint: input.endpoint, model: input.model ?? null, metadata: input.metadata ?? null, inputFiles: input.input_files ?? [], timeoutHours: input.timeout_hours, totalRequests: checked.lines.length })
      .returning();
    // In chunks: one statement per 1,000 lines keeps parameters well under Postgres's limit.
    for (let i = 0; i < checked.lines.length; i += 1000) {
      await tx.insert(batchLines).values(checked.lines.slice(i, i + 1000).map((l, j) => ({ batchId: row!.id, index: i + j, customId: l.customId, body: l.body })));
    }
    return row!;
  });
  emit("batch.queued", job.id);
  return job;
}

// A workspace that forwards batches sends those on a La Plateforme model there whole; anything
// else (other providers, lines naming their own models) runs here line by line.
async function routeOf(db: Executor, workspaceId: string, model: string | null | undefined): Promise<Pick<BatchJob, "mode" | "providerId" | "upstreamModel">> {
  const here = { mode: "lines" as const, providerId: null, upstreamModel: null };
  const [ws] = await db.select({ batchMode: workspaces.batchMode }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  if (ws?.batchMode !== "upstream" || !model) return here;
  const base = await baseDeployment(db, workspaceId, model).catch(() => undefined);
  return base?.kind === "mistral" ? { mode: "upstream", providerId: base.providerId, upstreamModel: base.upstreamModel } : here;
}

export type BatchCounts = { succeeded: number; failed: number; running: number; pending: number };

export async function countsOf(db: Executor, ids: string[]): Promise<Map<string, BatchCounts>> {
  const out = new Map<string, BatchCounts>(ids.map((id) => [id, { succeeded: 0, failed: 0, running: 0, pending: 0 }]));
  if (!ids.length) return out;
  const rows = await db.select({ id: batchLines.batchId, status: batchLines.status, n: count() }).from(batchLines).where(inArray(batchLines.batchId, ids)).groupBy(batchLines.batchId, batchLines.status);
  for (const r of rows) out.get(r.id)![r.status] = r.n;
  return out;
}

/** Errors grouped by kind, for the API's `errors` and the job page. */
export async function errorsOf(db: Executor, id: string): Promise<{ message: string; count: number }[]> {
  const rows = await db
    .select({ code: sql<string>`${batchLines.error}->>'code'`, message: sql<string>`min(${batchLines.error}->>'message')`, n: count() })
    .from(batchLines)
    .where(and(eq(batchLines.batchId, id), eq(batchLines.status, "failed")))
    .groupBy(sql`${batchLines.error}->>'code'`);
  return rows.map((r) => ({ message: `${r.code}: ${r.message}`, count: r.n }));
}

const seconds = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

export function batchView(job: BatchJob, lines: BatchCounts, errors: { message: string; count: number }[] = []) {
  // A forwarded batch's lines are filled in when it ends; until then, the upstream's counts.
  const c = job.mode === "upstream" && job.remoteCounts && !job.completedAt ? { ...lines, ...job.remoteCounts } : lines;
  return {
    id: job.id,
    object: "batch",
    input_files: job.inputFiles,
    metadata: job.metadata,
    endpoint: job.endpoint,
    model: job.model,
    output_file: job.outputFileId,
    error_file: job.errorFileId,
    errors,
    status: job.status,
    created_at: seconds(job.createdAt)!,
    total_requests: job.totalRequests,
    completed_requests: c.succeeded + c.failed,
    succeeded_requests: c.succeeded,
    failed_requests: c.failed,
    started_at: seconds(job.startedAt),
    completed_at: seconds(job.completedAt),
  };
}

export const listBatchesQuery = z.object({
  page: z.coerce.number().int().min(0).default(0),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
  model: z.string().optional(),
  status: z.array(z.enum(batchStatuses)).optional(),
  created_after: z.coerce.date().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export async function listBatches(db: Executor, workspaceId: string, q: z.infer<typeof listBatchesQuery>) {
  const filters: (SQL | undefined)[] = [
    eq(batchJobs.workspaceId, workspaceId),
    q.model ? eq(batchJobs.model, q.model) : undefined,
    q.status?.length ? inArray(batchJobs.status, q.status) : undefined,
    q.created_after ? gt(batchJobs.createdAt, q.created_after) : undefined,
    q.metadata ? sql`${batchJobs.metadata} @> ${JSON.stringify(q.metadata)}::jsonb` : undefined,
  ];
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([db.select().from(batchJobs).where(where).orderBy(desc(batchJobs.createdAt), desc(batchJobs.id)).limit(q.page_size).offset(q.page * q.page_size), db.select({ n: count() }).from(batchJobs).where(where)]);
  const counts = await countsOf(db, rows.map((r) => r.id));
  return { object: "list", data: rows.map((r) => batchView(r, counts.get(r.id)!)), total: total?.n ?? 0 };
}

export async function getBatch(db: Executor, workspaceId: string, id: string): Promise<BatchJob> {
  const [row] = /^[0-9a-f-]{36}$/i.test(id) ? await db.select().from(batchJobs).where(and(eq(batchJobs.id, id), eq(batchJobs.workspaceId, workspaceId))).limit(1) : [];
  if (!row) throw new BoraError("not_found:batch", `No batch job with id "${id}".`, { param: "job_id" });
  return row;
}

export async function batchDetail(db: Executor, job: BatchJob) {
  const [counts, errors] = await Promise.all([countsOf(db, [job.id]), errorsOf(db, job.id)]);
  return batchView(job, counts.get(job.id)!, errors);
}

/** Lines already done stay done; the worker finishes the job as CANCELLED with them. */
export async function cancelBatch(db: Executor, workspaceId: string, id: string): Promise<BatchJob> {
  const job = await getBatch(db, workspaceId, id);
  if (finalBatchStatuses.includes(job.status)) throw new BoraError("conflict:batch", `The batch has already ended (${job.status}).`);
  const [row] = await db.update(batchJobs).set({ status: "CANCELLATION_REQUESTED" }).where(and(eq(batchJobs.id, job.id), inArray(batchJobs.status, ["QUEUED", "RUNNING"]))).returning();
  emit("batch.queued", job.id);
  return row ?? (await getBatch(db, workspaceId, id));
}

/** Deletes a batch that has ended, with its lines; its result files stay (they are files). */
export async function deleteBatch(db: Executor, workspaceId: string, id: string) {
  const job = await getBatch(db, workspaceId, id);
  if (!finalBatchStatuses.includes(job.status)) throw new BoraError("conflict:batch", `The batch is still ${job.status}: cancel it first.`);
  await db.delete(batchJobs).where(eq(batchJobs.id, job.id));
  return { id: job.id, object: "batch", deleted: true };
}
