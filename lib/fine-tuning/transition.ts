// Status changes of a fine-tuning job. Each is a conditional update (only from the states it
// may leave) with its event written in the same transaction, so a transition is recorded once
// even when two workers or a worker and a cancel race for it.
import { and, eq, inArray, sql } from "drizzle-orm";
import { fineTuningEvents, fineTuningJobs, type FineTuningJob, type JobStatus } from "@/db/schema";
import type { Executor } from "@/lib/services/context";

export async function transition(db: Executor, jobId: string, from: readonly JobStatus[], to: JobStatus, changes: Partial<FineTuningJob> = {}, data: Record<string, unknown> = {}): Promise<FineTuningJob | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(fineTuningJobs)
      .set({ ...changes, status: to, modifiedAt: sql`now()` })
      .where(and(eq(fineTuningJobs.id, jobId), inArray(fineTuningJobs.status, [...from])))
      .returning();
    if (!row) return undefined;
    await tx.insert(fineTuningEvents).values({ jobId, name: "status-updated", data: { status: to, ...data } });
    return row;
  });
}

export async function recordEvent(db: Executor, jobId: string, name: string, data: Record<string, unknown>): Promise<void> {
  await db.insert(fineTuningEvents).values({ jobId, name, data });
}
