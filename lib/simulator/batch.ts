// La Plateforme's Batch API (Mistral dialect only), with the wire shapes of @mistralai/mistralai
// 1.x (BatchJobIn, BatchJobOut, BatchJobsOut). Progress is read off the clock (batch-progress.ts);
// the result files are written when a request first finds the job ended (batch-results.ts).
import crypto from "node:crypto";
import type { ServerResponse } from "node:http";
import { parseBatchJobIn } from "./batch-input";
import { batchStatuses, isTerminal, linesDone, runStart, statusAt, transitionsAt, type BatchStatus, type SimBatch } from "./batch-progress";
import { writeResults } from "./batch-results";
import type { FileStore, PlatformRequest } from "./files";
import { error, json } from "./respond";

export const defaultBatchLinesPerSecond = 200;

export type BatchDeps = {
  files: FileStore;
  /** Lines a job completes each second, read when a job is created. */
  linesPerSecond: () => number;
  /** False for a model the inference routes refuse: that job's lines fail as they would. */
  knownModel: (model: string) => boolean;
  now?: () => number;
};

export type Batch = ReturnType<typeof createBatch>;

export function createBatch({ files, linesPerSecond, knownModel, now = Date.now }: BatchDeps) {
  const jobs = new Map<string, SimBatch>();
  // Result files being written, by job: two requests that find a job ended must not write it twice.
  const writing = new Map<string, Promise<void>>();

  /** Writes the result files of every job that has ended by `t`. */
  async function settle(t = now()) {
    for (const job of jobs.values()) {
      if (writing.has(job.id) || !isTerminal(statusAt(job, t))) continue;
      writing.set(job.id, writeResults(files, job).catch((err: unknown) => {
        writing.delete(job.id); // the next request tries again
        throw err;
      }));
    }
    await Promise.all(writing.values());
  }

  async function handle({ req, res, url, path, body }: PlatformRequest) {
    const [, , , kind, id, action, ...rest] = path.split("/"); // "", "v1", "batch", "jobs", id, action
    const method = req.method ?? "GET";
    if (kind !== "jobs" || rest.length) return error(res, "mistral", 404, `No route ${method} ${path}`);
    // One instant for the whole request: a job never reads as ended before its files exist.
    const t = now();
    await settle(t);
    if (!id) {
      // POST /v1/batch/jobs: check every line, then queue the job
      if (method === "POST") return create(res, body, t);
      // GET /v1/batch/jobs: newest first, filtered by model and status
      if (method === "GET") return list(res, url, t);
      return error(res, "mistral", 405, `Method ${method} not allowed on ${path}`);
    }
    const job = jobs.get(id);
    if (!job) return error(res, "mistral", 404, `Batch job ${id} not found`);
    // GET /v1/batch/jobs/{id}
    if (!action && method === "GET") return json(res, 200, wire(job, t));
    // POST /v1/batch/jobs/{id}/cancel: lines already done are kept in the results
    if (action === "cancel" && method === "POST") {
      const status = statusAt(job, t);
      if (status !== "CANCELLATION_REQUESTED" && status !== "CANCELLED") {
        if (isTerminal(status)) return error(res, "mistral", 400, `Batch job ${id} is ${status} and cannot be cancelled`);
        job.cancelMs = t;
      }
      return json(res, 200, wire(job, t));
    }
    return error(res, "mistral", 404, `No route ${method} ${path}`);
  }

  function create(res: ServerResponse, raw: Buffer, t: number) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      return error(res, "mistral", 400, "Invalid JSON");
    }
    const input = parseBatchJobIn(body, files, knownModel);
    if ("status" in input) return error(res, "mistral", input.status, input.message);
    const rate = linesPerSecond();
    const job: SimBatch = {
      id: crypto.randomUUID(),
      inputFiles: input.inputFiles,
      endpoint: input.endpoint,
      model: input.model,
      metadata: input.metadata,
      lines: input.lines,
      lineMs: 1000 / (rate > 0 && Number.isFinite(rate) ? rate : defaultBatchLinesPerSecond),
      timeoutMs: input.timeoutHours * 3_600_000,
      createdMs: t,
      cancelMs: null,
      outputFile: null,
      errorFile: null,
    };
    jobs.set(job.id, job);
    return json(res, 200, wire(job, t));
  }

  function list(res: ServerResponse, url: URL, t: number) {
    const q = url.searchParams;
    // The SDK sends a list of statuses comma-joined; other clients repeat the parameter.
    const statuses = q.getAll("status").flatMap((s) => s.split(",")).filter(Boolean);
    const unknown = statuses.find((s) => !(batchStatuses as readonly string[]).includes(s));
    if (unknown) return error(res, "mistral", 422, `status: must be among ${batchStatuses.join(", ")}, not ${unknown}`);
    const page = Math.max(0, Number(q.get("page") ?? 0) || 0);
    const pageSize = Math.max(1, Number(q.get("page_size") ?? 100) || 100);
    const model = q.get("model");
    const all = [...jobs.values()]; // insertion order: created_at alone ties within a second
    const matching = (q.get("order_by") === "created" ? all : all.reverse()).filter((j) => (!model || j.model === model) && (!statuses.length || statuses.includes(statusAt(j, t))));
    return json(res, 200, { object: "list", data: matching.slice(page * pageSize, (page + 1) * pageSize).map((j) => wire(j, t)), total: matching.length });
  }

  return {
    handle,
    settle,
    clear() {
      jobs.clear();
      writing.clear();
    },
  };
}

/** BatchJobOut at instant `t`: counts grow as lines are done; failures grouped by message. */
function wire(job: SimBatch, t: number) {
  const status: BatchStatus = statusAt(job, t);
  const done = job.lines.slice(0, linesDone(job, t));
  const errors = new Map<string, number>();
  for (const line of done) if (line.failure !== null) errors.set(line.failure, (errors.get(line.failure) ?? 0) + 1);
  const failed = [...errors.values()].reduce((a, b) => a + b, 0);
  const ended = isTerminal(status) ? transitionsAt(job, t).at(-1)!.at : null;
  return {
    id: job.id,
    object: "batch",
    input_files: job.inputFiles,
    metadata: job.metadata,
    endpoint: job.endpoint,
    model: job.model,
    output_file: job.outputFile,
    error_file: job.errorFile,
    errors: [...errors].map(([message, count]) => ({ message, count })),
    status,
    created_at: seconds(job.createdMs),
    total_requests: job.lines.length,
    completed_requests: done.length,
    succeeded_requests: done.length - failed,
    failed_requests: failed,
    started_at: transitionsAt(job, t).some((x) => x.status === "RUNNING") ? seconds(runStart(job)) : null,
    completed_at: ended === null ? null : seconds(ended),
  };
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
