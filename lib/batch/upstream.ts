// Forwarding a whole batch to La Plateforme's batch API (for workspaces that choose it): the
// lines go up as one file, the remote job is created and polled, its counts mirrored, and when
// it ends its output and error files are read back into the lines, metered at the batch price,
// and written as this batch's own results. Each remote id is saved as soon as it exists, so a
// restarted worker carries on with the same remote job.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { batchJobs, batchLines, type BatchJob, type BatchStatus } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { upstreamClient } from "@/lib/fine-tuning/trainers/upstream-client";
import type { Gateway } from "@/lib/gateway/gateway";
import { costNanos } from "@/lib/gateway/resolve-model";
import { finishBatch } from "./results";

type RemoteBatch = { status: BatchStatus; output_file?: string | null; error_file?: string | null; succeeded_requests: number; failed_requests: number };
type ResultLine = { custom_id: string; response?: { status_code: number; body: unknown } | null; error?: { message: string; code?: string } | null };

const ended: BatchStatus[] = ["SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLED"];
const endpointName = { "/v1/chat/completions": "chat", "/v1/fim/completions": "fim", "/v1/embeddings": "embeddings" } as const;

async function linesJsonl(db: Db, job: BatchJob): Promise<Buffer> {
  const parts: string[] = [];
  for (let after = -1; ; ) {
    const rows = await db.select({ index: batchLines.index, customId: batchLines.customId, body: batchLines.body }).from(batchLines).where(and(eq(batchLines.batchId, job.id), gt(batchLines.index, after))).orderBy(asc(batchLines.index)).limit(1000);
    if (!rows.length) break;
    for (const r of rows) parts.push(JSON.stringify({ custom_id: r.customId, body: { ...r.body, model: job.upstreamModel } }));
    after = rows.at(-1)!.index;
  }
  return Buffer.from(parts.join("\n") + "\n");
}

/** One step of a forwarded batch; the worker calls it on every tick while it holds the job. */
export async function advanceUpstream(gw: Gateway, job: BatchJob): Promise<void> {
  const db = gw.db;
  if (job.status === "CANCELLATION_REQUESTED" && !job.remoteJobId) {
    await finishBatch(db, gw.files, job, job.status, "CANCELLED");
    return;
  }
  const up = await upstreamClient(db, job.providerId!, gw.secret);
  if (!job.remoteFileId) {
    const file = await up.upload("/v1/files", `bora-batch-${job.id}.jsonl`, await linesJsonl(db, job), { purpose: "batch" });
    await db.update(batchJobs).set({ remoteFileId: file.id }).where(eq(batchJobs.id, job.id));
    job = { ...job, remoteFileId: file.id };
  }
  if (!job.remoteJobId) {
    const remote = await up.json<{ id: string }>("POST", "/v1/batch/jobs", { input_files: [job.remoteFileId], endpoint: job.endpoint, model: job.upstreamModel, metadata: { bora_batch_id: job.id }, timeout_hours: job.timeoutHours });
    await db.update(batchJobs).set({ remoteJobId: remote.id }).where(eq(batchJobs.id, job.id));
    job = { ...job, remoteJobId: remote.id };
  }
  let remote = await up.json<RemoteBatch>("GET", `/v1/batch/jobs/${job.remoteJobId}`);
  if (job.status === "CANCELLATION_REQUESTED" && !ended.includes(remote.status) && remote.status !== "CANCELLATION_REQUESTED") {
    remote = await up.json<RemoteBatch>("POST", `/v1/batch/jobs/${job.remoteJobId}/cancel`);
  }
  await db.update(batchJobs).set({ remoteCounts: { succeeded: remote.succeeded_requests, failed: remote.failed_requests } }).where(eq(batchJobs.id, job.id));
  if (!ended.includes(remote.status)) return;

  const results: ResultLine[] = [];
  for (const id of [remote.output_file, remote.error_file]) {
    if (!id) continue;
    for (const line of (await up.text(`/v1/files/${id}/content`)).split("\n")) if (line.trim()) results.push(JSON.parse(line) as ResultLine);
  }
  await recordResults(gw, job, results);
  await finishBatch(db, gw.files, job, job.status, remote.status === "CANCELLED" && job.status !== "CANCELLATION_REQUESTED" ? "CANCELLED" : remote.status);
}

// The upstream's results into the lines (by custom_id), a statement per 500, and a usage event
// per answered line, at the batch price: the same records a batch run here would leave.
async function recordResults(gw: Gateway, job: BatchJob, results: ResultLine[]) {
  const model = await gw.catalog.get(job.model ?? "");
  for (let i = 0; i < results.length; i += 500) {
    const chunk = results.slice(i, i + 500).map((r) => {
      const ok = !r.error && (r.response?.status_code ?? 0) < 300;
      return { custom_id: r.custom_id, status: ok ? "succeeded" : "failed", response_status: r.response?.status_code ?? null, response_body: r.response?.body ?? null, error: ok ? null : { message: r.error?.message ?? `HTTP ${r.response?.status_code}`, code: r.error?.code ?? "upstream_batch" } };
    });
    await gw.db.execute(sql`
      update batch_lines l set status = r.status, response_status = r.response_status, response_body = r.response_body, error = r.error, completed_at = now()
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(custom_id text, status text, response_status int, response_body jsonb, error jsonb)
      where l.batch_id = ${job.id} and l.custom_id = r.custom_id`);
  }
  for (const r of results) {
    const usage = (r.response?.body as { usage?: { prompt_tokens?: number; completion_tokens?: number } } | null)?.usage;
    if (r.error || !usage) continue;
    const promptTokens = usage.prompt_tokens ?? 0;
    const completionTokens = usage.completion_tokens ?? 0;
    gw.meter.record({
      workspaceId: job.workspaceId,
      apiKeyId: job.apiKeyId,
      model: job.model ?? job.upstreamModel ?? "",
      providerId: job.providerId,
      endpoint: endpointName[job.endpoint],
      promptTokens,
      completionTokens,
      costNanos: model ? Math.round(costNanos(model, promptTokens, completionTokens) * model.batchPriceFactor) : 0,
      latencyMs: 0,
      status: "ok",
      httpStatus: r.response?.status_code ?? 200,
      requestId: `${job.id}:${r.custom_id}`,
      origin: "batch",
      batchId: job.id,
    });
  }
}
