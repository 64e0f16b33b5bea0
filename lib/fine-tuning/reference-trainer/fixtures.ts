// Synthetic instruct datasets for the trainer's tests: short conversations with enough repeated
// structure that a character model visibly learns them in a couple of hundred steps. Test-only: it
// registers cleanup with vitest.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import type { TrainerSpec } from "./contract";

/** A fresh directory, removed when the current test ends: checkpoints add up over many runs. */
export async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "bora-reference-trainer-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const colors = ["red", "blue", "green", "yellow", "purple", "orange", "black", "white"];
const things = ["apple", "sky", "leaf", "sun", "grape", "carrot", "night", "snow"];

/** `count` conversations, the n-th always the same, as JSONL. */
export function syntheticConversations(count: number, offset = 0): string {
  const lines: string[] = [];
  for (let n = offset; n < offset + count; n++) {
    const i = n % things.length;
    const a = n % 7;
    const b = (n * 3) % 5;
    const messages = [
      { role: "system", content: "You are a terse helper." },
      { role: "user", content: `What color is the ${things[i]}?` },
      { role: "assistant", content: `The ${things[i]} is ${colors[i]}.` },
      { role: "user", content: `What is ${a} plus ${b}?` },
      { role: "assistant", content: `${a} plus ${b} is ${a + b}.` },
    ];
    lines.push(JSON.stringify({ messages }));
  }
  return `${lines.join("\n")}\n`;
}

/** A temporary directory with train.jsonl (50 conversations), valid.jsonl (10) and an output dir. */
export async function syntheticJob(overrides: Partial<TrainerSpec> = {}, hyperparameters: Partial<TrainerSpec["hyperparameters"]> = {}) {
  const dir = await temporaryDir();
  const trainPath = path.join(dir, "train.jsonl");
  const validPath = path.join(dir, "valid.jsonl");
  await writeFile(trainPath, syntheticConversations(50));
  await writeFile(validPath, syntheticConversations(10, 50));
  const spec: TrainerSpec = {
    job_id: "ftjob-0123456789abcdef",
    model: "open-mistral-7b",
    suffix: null,
    training_files: [{ path: trainPath, weight: 1 }],
    validation_files: [validPath],
    hyperparameters: { training_steps: 200, learning_rate: 1e-4, ...hyperparameters },
    output_dir: dir,
    ...overrides,
  };
  return { dir, spec };
}
