// The VALIDATING step every trainer shares: each training and validation file is checked line by
// line with the dataset module (errors with line numbers), counted with the base model's real
// tokenizer, and the job gets its estimate of tokens, cost and duration.
import { eq, inArray } from "drizzle-orm";
import { files, models, type FineTuningJob, type JobEstimate } from "@/db/schema";
import { estimateTraining } from "@/lib/datasets/estimate";
import type { FileStore } from "@/lib/files/store";
import { validateDatasetOffThread } from "@/lib/gateway/tokens-off-thread";
import type { Executor } from "@/lib/services/context";
import { transition } from "./transition";

// Training throughput assumed for the duration estimate (tokens per second); a rough figure for
// a small LoRA run, refined by the trainer's own progress once it runs.
const assumedTokensPerSecond = 2_000;

async function readAll(store: FileStore, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of store.read(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Returns the job as VALIDATED (with its estimate) or FAILED_VALIDATION (with the reasons). */
export async function validateJob(db: Executor, store: FileStore, job: FineTuningJob): Promise<FineTuningJob | undefined> {
  const moved = job.status === "QUEUED" ? await transition(db, job.id, ["QUEUED"], "VALIDATING") : job;
  if (!moved) return undefined;
  const ids = [...job.trainingFiles.map((f) => f.file_id), ...job.validationFiles];
  const rows = await db.select().from(files).where(inArray(files.id, ids));
  const problems: string[] = [];
  let dataTokens = 0;
  for (const id of ids) {
    const file = rows.find((r) => r.id === id);
    if (!file) {
      problems.push(`File ${id} no longer exists.`);
      continue;
    }
    // On the counting thread: a large file would otherwise hold the process's requests for seconds.
    const report = await validateDatasetOffThread(await readAll(store, file.storageKey), job.model, 10);
    if (report.errors.length) problems.push(...report.errors.slice(0, 5).map((e) => `${file.filename} line ${e.line}${e.field ? ` (${e.field})` : ""}: ${e.reason}`));
    if (job.trainingFiles.some((f) => f.file_id === id)) dataTokens += report.totalTokens;
  }
  if (problems.length) return transition(db, job.id, ["VALIDATING"], "FAILED_VALIDATION", { failureReason: problems.join("\n") }, { errors: problems });
  const [base] = await db.select({ price: models.trainingPricePerMillion }).from(models).where(eq(models.alias, job.model)).limit(1);
  const e = estimateTraining({ datasetTokens: dataTokens, hyperparameters: job.hyperparameters, pricePerMillionTrainingTokens: base?.price ?? 0, tokensPerSecond: assumedTokensPerSecond });
  const estimate: JobEstimate = { expected_duration_seconds: e.expectedDurationSeconds, cost: Math.round(e.cost * 100) / 100, cost_currency: "USD", train_tokens_per_step: e.trainTokensPerStep, train_tokens: e.trainTokens, data_tokens: dataTokens, estimated_start_time: null };
  return transition(db, job.id, ["VALIDATING"], "VALIDATED", { estimate, cost: estimate.cost });
}
