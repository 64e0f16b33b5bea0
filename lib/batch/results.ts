// The end of a batch: its output file (successes) and error file (failures), JSONL with
// custom_id in input order, streamed from the lines table a page at a time, then the job's
// final status. Written once: if another worker finished the job first, our files are removed.
import { Readable } from "node:stream";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { batchJobs, batchLines, type BatchJob, type BatchStatus } from "@/db/schema";
import { deleteFile, storeFile } from "@/lib/files/files";
import type { FileStore } from "@/lib/files/store";
import type { Executor } from "@/lib/services/context";

const page = 1000;

function resultLines(db: Executor, job: BatchJob, status: "succeeded" | "failed"): Readable {
  async function* rows() {
    let after = -1;
    for (;;) {
      const chunk = await db
        .select()
        .from(batchLines)
        .where(and(eq(batchLines.batchId, job.id), eq(batchLines.status, status), gt(batchLines.index, after)))
        .orderBy(asc(batchLines.index))
        .limit(page);
      if (!chunk.length) return;
      yield chunk
        .map((l) =>
          JSON.stringify({
            id: `${job.id}:${l.index}`,
            custom_id: l.customId,
            response: l.responseStatus ? { status_code: l.responseStatus, body: l.responseBody } : null,
            error: status === "failed" ? (l.error ?? { message: "failed", code: "error" }) : null,
          }),
        )
        .join("\n") + "\n";
      after = chunk.at(-1)!.index;
    }
  }
  return Readable.from(rows());
}

/** Writes the result files and moves the job to `final`, if it is still in `from`. */
export async function finishBatch(db: Executor, store: FileStore, job: BatchJob, from: BatchStatus, final: BatchStatus): Promise<boolean> {
  const counts = await db
    .select({ status: batchLines.status, n: sql<number>`count(*)::int` })
    .from(batchLines)
    .where(and(eq(batchLines.batchId, job.id), inArray(batchLines.status, ["succeeded", "failed"])))
    .groupBy(batchLines.status);
  const n = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
  const owner = { workspaceId: job.workspaceId };
  const output = n("succeeded") ? await storeFile(db, store, owner, { filename: `batch-${job.id}-output.jsonl`, purpose: "batch", sampleType: "batch_result", body: resultLines(db, job, "succeeded") }) : null;
  const errors = n("failed") ? await storeFile(db, store, owner, { filename: `batch-${job.id}-errors.jsonl`, purpose: "batch", sampleType: "batch_error", body: resultLines(db, job, "failed") }) : null;
  const status = final === "SUCCESS" && n("succeeded") === 0 && n("failed") > 0 ? "FAILED" : final;
  const [done] = await db
    .update(batchJobs)
    .set({ status, outputFileId: output?.id ?? null, errorFileId: errors?.id ?? null, completedAt: new Date() })
    .where(and(eq(batchJobs.id, job.id), eq(batchJobs.status, from)))
    .returning({ id: batchJobs.id });
  if (!done) {
    for (const f of [output, errors]) if (f) await deleteFile(db, store, job.workspaceId, f.id);
    return false;
  }
  return true;
}
