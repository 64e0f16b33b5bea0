// Recording a job's progress: checkpoints (one per step, however often a poll sees it) and the
// end of a successful job, where the fine-tuned model becomes an alias the workspace can call.
import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { deployments, fineTuningCheckpoints, models, type CheckpointMetrics, type FineTuningJob } from "@/db/schema";
import { emit } from "@/lib/events";
import type { Executor } from "@/lib/services/context";
import { transition } from "./transition";

export async function recordCheckpoint(db: Executor, jobId: string, step: number, metrics: CheckpointMetrics, path?: string | null, at?: Date): Promise<void> {
  await db
    .insert(fineTuningCheckpoints)
    .values({ jobId, stepNumber: step, metrics, path: path ?? null, ...(at ? { createdAt: at } : {}) })
    .onConflictDoNothing();
}

/** ft:<base>:<suffix>:<8 hex of the job id>, the way La Plateforme names fine-tuned models. */
export function fineTunedName(job: Pick<FineTuningJob, "id" | "model" | "suffix">): string {
  return `ft:${job.model}:${job.suffix ?? "bora"}:${job.id.replace(/-/g, "").slice(0, 8)}`;
}

/** Registers the model (workspace-only, priced like its base) and marks the job SUCCESS, at once. */
export async function succeed(db: Executor, job: FineTuningJob, served: { providerId: string; upstreamModel: string }, trainedTokens: number | null): Promise<void> {
  const alias = fineTunedName(job);
  await db.transaction(async (tx) => {
    const [base] = await tx.select().from(models).where(eq(models.alias, job.model)).limit(1);
    const [model] = await tx
      .insert(models)
      .values({
        id: crypto.randomUUID(),
        alias,
        description: `Fine-tuned from ${job.model}`,
        inputPricePerMillion: base?.inputPricePerMillion ?? 0,
        outputPricePerMillion: base?.outputPricePerMillion ?? 0,
        contextLength: base?.contextLength ?? 32768,
        capabilities: base?.capabilities ?? { chat: true, fim: false, embeddings: false, functionCalling: false, vision: false },
        workspaceId: job.workspaceId,
        fineTuningJobId: job.id,
        baseModel: job.model,
      })
      .onConflictDoUpdate({ target: models.alias, set: { archived: false, fineTuningJobId: sql`excluded.fine_tuning_job_id` } })
      .returning();
    await tx.insert(deployments).values({ modelId: model!.id, providerId: served.providerId, upstreamModel: served.upstreamModel }).onConflictDoNothing();
    await transition(tx, job.id, ["RUNNING"], "SUCCESS", { fineTunedModel: alias, trainedTokens });
  });
  emit("catalog.changed");
}
