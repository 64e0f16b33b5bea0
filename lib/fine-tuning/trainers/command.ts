// The command trainer: Bora runs a trainer program on its own machine (BORA_TRAINER_COMMAND,
// e.g. the reference trainer in ../reference-trainer) under the contract documented in
// ../reference-trainer/contract.ts: a spec file in, JSON lines of progress out. After a restart
// the job resumes from its last recorded checkpoint.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { files, fineTuningCheckpoints, providers } from "@/db/schema";
import { log } from "@/lib/log";
import { recordCheckpoint, succeed } from "../progress";
import { trainerCommand, trainerProvider } from "../trainer-choice";
import { transition } from "../transition";
import { type Trainer, type TrainerContext, TrainingFailed } from "./types";

type Line =
  | { type: "progress"; step: number; total_steps: number; train_loss: number }
  | { type: "checkpoint"; step: number; train_loss: number; valid_loss: number | null; valid_mean_token_accuracy: number | null; path: string }
  | { type: "done"; model: string; trained_tokens: number }
  | { type: "error"; message: string };

/** Copies a stored file next to the job once, so the trainer reads plain files whatever the store. */
async function localCopy(ctx: TrainerContext, key: string, target: string): Promise<string> {
  if (!fs.existsSync(target)) {
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.part`;
    await new Promise<void>((resolve, reject) => ctx.files.read(key).pipe(fs.createWriteStream(temp)).on("finish", resolve).on("error", reject));
    await fs.promises.rename(temp, target);
  }
  return target;
}

export const commandTrainer: Trainer = {
  async run(job, ctx) {
    const command = trainerCommand();
    if (!command) throw new TrainingFailed("No trainer command is configured (BORA_TRAINER_COMMAND).");
    if (ctx.cancelling()) return void (await transition(ctx.db, job.id, ["CANCELLATION_REQUESTED"], "CANCELLED"));
    if (job.status === "VALIDATED") job = (await transition(ctx.db, job.id, ["VALIDATED"], "RUNNING")) ?? job;
    const dir = ctx.workDir;
    await fs.promises.mkdir(dir, { recursive: true });
    const ids = [...job.trainingFiles.map((f) => f.file_id), ...job.validationFiles];
    const rows = await ctx.db.select().from(files).where(inArray(files.id, ids));
    const local = async (id: string) => localCopy(ctx, rows.find((r) => r.id === id)!.storageKey, path.join(dir, "data", `${id}.jsonl`));
    const [last] = await ctx.db
      .select()
      .from(fineTuningCheckpoints)
      .where(and(eq(fineTuningCheckpoints.jobId, job.id), isNotNull(fineTuningCheckpoints.path)))
      .orderBy(desc(fineTuningCheckpoints.stepNumber))
      .limit(1);
    const spec = {
      job_id: job.id,
      model: job.model,
      suffix: job.suffix,
      training_files: await Promise.all(job.trainingFiles.map(async (f) => ({ path: await local(f.file_id), weight: f.weight }))),
      validation_files: await Promise.all(job.validationFiles.map(local)),
      hyperparameters: { ...job.hyperparameters, training_steps: job.hyperparameters.training_steps ?? Math.max(1, Math.round((job.hyperparameters.epochs ?? 1) * 100)) },
      output_dir: dir,
      ...(last?.path && fs.existsSync(last.path) ? { resume_from: last.path } : {}),
    };
    const specPath = path.join(dir, "spec.json");
    await fs.promises.writeFile(specPath, JSON.stringify(spec, null, 2));

    const child = spawn(`${command} ${JSON.stringify(specPath)}`, { shell: true, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    const stop = () => child.kill("SIGTERM");
    ctx.signal.addEventListener("abort", stop, { once: true });
    child.stderr.on("data", (d: Buffer) => log.debug("trainer", { job: job.id, stderr: d.toString().trim() }));
    let done: Extract<Line, { type: "done" }> | undefined;
    let failure: string | undefined;
    for await (const text of readline.createInterface({ input: child.stdout })) {
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        continue; // the contract says JSON only; a stray print is ignored
      }
      if (line.type === "checkpoint") await recordCheckpoint(ctx.db, job.id, line.step, { train_loss: line.train_loss, valid_loss: line.valid_loss, valid_mean_token_accuracy: line.valid_mean_token_accuracy }, line.path);
      else if (line.type === "done") done = line;
      else if (line.type === "error") failure = line.message;
    }
    const code = await exited;
    ctx.signal.removeEventListener("abort", stop);
    if (ctx.signal.aborted) {
      if (ctx.cancelling()) await transition(ctx.db, job.id, ["CANCELLATION_REQUESTED", "RUNNING"], "CANCELLED");
      return; // a shutdown: the job resumes from its last checkpoint after the restart
    }
    if (code !== 0 || !done) throw new TrainingFailed(failure ?? `The trainer exited with status ${code} without finishing.`);
    await succeed(ctx.db, job, { providerId: await servingProvider(ctx, job.providerId!), upstreamModel: done.model }, done.trained_tokens);
  },
};

// Where the trained model is served: BORA_TRAINER_PROVIDER names an OpenAI-compatible server
// that loads the trainer's outputs; without it, the base model's provider.
async function servingProvider(ctx: TrainerContext, fallback: string): Promise<string> {
  const name = trainerProvider();
  if (!name) return fallback;
  const [p] = await ctx.db.select({ id: providers.id }).from(providers).where(eq(providers.name, name)).limit(1);
  return p?.id ?? fallback;
}
