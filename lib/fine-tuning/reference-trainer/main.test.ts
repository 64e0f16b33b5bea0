import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { trainerEventSchema, type TrainerEvent, type TrainerSpec } from "./contract";
import { syntheticJob } from "./fixtures";

const mainPath = path.join(import.meta.dirname, "main.ts");

type Run = { code: number | null; lines: string[]; events: TrainerEvent[]; stderr: string };

/** Runs the trainer as Bora does; `onEvent` may return true to send SIGTERM. */
function runTrainer(specPath: string, onEvent?: (e: TrainerEvent) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", mainPath, specPath], { cwd: path.resolve(import.meta.dirname, "../../..") });
    const lines: string[] = [];
    let buffered = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      for (let at = buffered.indexOf("\n"); at >= 0; at = buffered.indexOf("\n")) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        lines.push(line);
        if (onEvent?.(trainerEventSchema.parse(JSON.parse(line)))) child.kill("SIGTERM");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (buffered) lines.push(buffered);
      // Every stdout line must be a contract event: this parse is the test of "nothing else on stdout".
      resolve({ code, lines, events: lines.map((l) => trainerEventSchema.parse(JSON.parse(l))), stderr });
    });
  });
}

async function writeSpec(dir: string, spec: unknown): Promise<string> {
  const file = path.join(dir, "spec.json");
  await writeFile(file, JSON.stringify(spec));
  return file;
}

describe("reference trainer process", () => {
  it("trains end to end: progress with falling loss, checkpoints on disk, done last, exit 0", async () => {
    const { dir, spec } = await syntheticJob({ suffix: "demo" });
    const { code, events, stderr } = await runTrainer(await writeSpec(dir, spec));

    expect(code, stderr).toBe(0);
    const progress = events.filter((e) => e.type === "progress");
    const checkpoints = events.filter((e) => e.type === "checkpoint");
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.every((e) => e.total_steps === 200)).toBe(true);
    expect(progress.at(-1)!.train_loss).toBeLessThan(progress[0]!.train_loss / 3);
    expect(checkpoints.map((c) => c.step)).toEqual([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    for (const c of checkpoints) {
      expect(c.path).toBe(path.join(dir, `checkpoint-${c.step}.json`));
      expect(existsSync(c.path)).toBe(true);
      expect(c.valid_loss).toEqual(expect.any(Number));
    }
    expect(checkpoints.at(-1)!.valid_loss!).toBeLessThan(checkpoints[0]!.valid_loss!);
    expect(events.at(-1)).toEqual({ type: "done", model: "ft:open-mistral-7b:demo:ftjob012", trained_tokens: 12_800 });
  }, 60_000);

  it("reports null validation metrics when there are no validation files", async () => {
    const { dir, spec } = await syntheticJob({ validation_files: [] }, { training_steps: 5 });
    const { code, events } = await runTrainer(await writeSpec(dir, spec));
    expect(code).toBe(0);
    expect(events.filter((e) => e.type === "checkpoint").every((e) => e.valid_loss === null && e.valid_mean_token_accuracy === null)).toBe(true);
  }, 60_000);

  it("exits 2 with one error line for an invalid spec, a missing spec, or no argument", async () => {
    const { dir, spec } = await syntheticJob();
    const invalid: Partial<TrainerSpec> = { ...spec, hyperparameters: { learning_rate: 1e-4 } as TrainerSpec["hyperparameters"] };
    for (const specPath of [await writeSpec(dir, invalid), path.join(dir, "missing.json"), ""]) {
      const { code, events } = await runTrainer(specPath);
      expect(code).toBe(2);
      expect(events).toEqual([{ type: "error", message: expect.stringMatching(/^invalid spec/) }]);
    }
  }, 60_000);

  it("exits 1 with an error line when a training file cannot be read", async () => {
    const { dir, spec } = await syntheticJob({ training_files: [{ path: "/nonexistent/train.jsonl", weight: 1 }] });
    const { code, events } = await runTrainer(await writeSpec(dir, spec));
    expect(code).toBe(1);
    expect(events).toEqual([{ type: "error", message: expect.stringContaining("/nonexistent/train.jsonl") }]);
  }, 60_000);

  it("exits promptly on SIGTERM, non-zero and without a done line", async () => {
    // Ten thousand steps: the first progress line comes after two hundred, well before the end.
    const { dir, spec } = await syntheticJob({}, { training_steps: 10_000 });
    let killedAt = 0;
    const { code, events } = await runTrainer(await writeSpec(dir, spec), () => {
      killedAt ||= performance.now();
      return true;
    });
    expect(code).toBe(143);
    expect(performance.now() - killedAt).toBeLessThan(2_000);
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.type === "done")).toBe(false);
  }, 120_000);
});
