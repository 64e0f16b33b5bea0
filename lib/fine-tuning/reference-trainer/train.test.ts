import path from "node:path";
import { describe, expect, it } from "vitest";
import { readCheckpoint } from "./checkpoint";
import type { CheckpointEvent, ProgressEvent, TrainerEvent, TrainerSpec } from "./contract";
import { syntheticJob, temporaryDir } from "./fixtures";
import { train } from "./train";

async function run(spec: TrainerSpec, signal?: AbortSignal) {
  const events: TrainerEvent[] = [];
  const done = await train(spec, { emit: (e) => events.push(e), signal });
  const progress = events.filter((e): e is ProgressEvent => e.type === "progress");
  const checkpoints = events.filter((e): e is CheckpointEvent => e.type === "checkpoint");
  return { done, events, progress, checkpoints };
}

/** Events with the output directory taken out of checkpoint paths, to compare runs in different directories. */
function portable(events: TrainerEvent[]) {
  return events.map((e) => (e.type === "checkpoint" ? { ...e, path: path.basename(e.path) } : e));
}

describe("reference trainer run", () => {
  it("learns: loss starts near ln(vocabulary) and falls far below it, validation improving too", async () => {
    const { spec } = await syntheticJob();
    const { done, progress, checkpoints } = await run(spec);
    const vocabulary = (await readCheckpoint(checkpoints.at(-1)!.path)).vocabulary.length;

    expect(progress).toHaveLength(50);
    expect(progress.at(-1)).toMatchObject({ step: 200, total_steps: 200 });
    expect(checkpoints.map((c) => c.step)).toEqual([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(Math.abs(progress[0]!.train_loss - Math.log(vocabulary))).toBeLessThan(0.3);
    expect(checkpoints.at(-1)!.train_loss).toBeLessThan(1);
    expect(checkpoints.at(-1)!.train_loss).toBeLessThan(progress[0]!.train_loss / 3);
    expect(checkpoints.at(-1)!.valid_loss!).toBeLessThan(checkpoints[0]!.valid_loss! / 2);
    expect(checkpoints.at(-1)!.valid_mean_token_accuracy!).toBeGreaterThan(0.8);
    expect(checkpoints.at(-1)!.valid_mean_token_accuracy!).toBeGreaterThan(checkpoints[0]!.valid_mean_token_accuracy!);
    expect(done).toEqual({ type: "done", model: "ft:open-mistral-7b:ftjob012", trained_tokens: 200 * 64 });
  }, 30_000);

  it("trains the same way twice from the same spec", async () => {
    const { spec } = await syntheticJob({}, { training_steps: 30 });
    const first = await run(spec);
    const second = await run({ ...spec, output_dir: await temporaryDir() });
    expect(portable(second.events)).toEqual(portable(first.events));
  }, 30_000);

  it("continues from a checkpoint exactly as the uninterrupted run did", async () => {
    const { spec } = await syntheticJob({ suffix: "colors" }, { training_steps: 40 });
    const whole = await run(spec);
    const resumed = await run({ ...spec, output_dir: await temporaryDir(), resume_from: path.join(spec.output_dir, "checkpoint-20.json") });

    const afterResume = whole.events.filter((e) => "step" in e && e.step > 20);
    expect(portable(resumed.events)).toEqual(portable(afterResume));
    expect(resumed.checkpoints[0]!.step).toBe(24);
    expect(resumed.done).toEqual(whole.done);
    expect(resumed.done.model).toBe("ft:open-mistral-7b:colors:ftjob012");
    const [a, b] = await Promise.all([readCheckpoint(whole.checkpoints.at(-1)!.path), readCheckpoint(resumed.checkpoints.at(-1)!.path)]);
    expect(b.model.params).toEqual(a.model.params);
  }, 30_000);

  it("refuses a checkpoint written for another job", async () => {
    const { spec } = await syntheticJob({}, { training_steps: 10 });
    await run(spec);
    const other = { ...spec, job_id: "ftjob-other", resume_from: path.join(spec.output_dir, "checkpoint-10.json") };
    await expect(train(other, { emit: () => {} })).rejects.toThrow(/belongs to job ftjob-0123456789abcdef/);
  });

  it("stops within a step when aborted", async () => {
    // Ten thousand steps would take most of a minute; the abort must land long before.
    const { spec } = await syntheticJob({}, { training_steps: 10_000 });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 300);
    await expect(run(spec, controller.signal)).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
