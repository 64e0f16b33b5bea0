// `node --import tsx lib/fine-tuning/reference-trainer/main.ts <spec.json>`: the reference trainer
// as Bora's "command" trainer runs it (the contract is in ./contract.ts). Stdout is JSON lines only.
// This folder imports by relative path, not "@/": tsx reads the alias from the tsconfig of the
// working directory, and a trainer may be started from anywhere (e.g. the job's output directory).
import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import { BoraError, isBoraError } from "../../errors";
import { exitCodes, trainerSpecSchema, type TrainerEvent, type TrainerSpec } from "./contract";
import { train } from "./train";

function emit(event: TrainerEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function invalidSpec(message: string): BoraError {
  return new BoraError("bad_request:trainer_spec", `invalid spec: ${message}`);
}

async function readSpec(specPath: string | undefined): Promise<TrainerSpec> {
  if (!specPath) throw invalidSpec("usage: main.ts <spec.json path>");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(specPath, "utf8"));
  } catch (e) {
    throw invalidSpec(`cannot read ${specPath} as JSON: ${(e as Error).message}`);
  }
  const parsed = trainerSpecSchema.safeParse(raw);
  if (!parsed.success) throw invalidSpec(z.prettifyError(parsed.error).replace(/\n/g, "; "));
  // Checked up front: finding out at the first checkpoint would waste the steps before it.
  const outputDir = await stat(parsed.data.output_dir).catch(() => null);
  if (!outputDir?.isDirectory()) throw invalidSpec(`output_dir ${parsed.data.output_dir} is not a directory`);
  return parsed.data;
}

// Cancel: stop now, leaving the checkpoints written so far; no done line, so Bora never registers a
// model from a cancelled job. SIGINT is the same for someone running the trainer by hand.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    process.stderr.write(`reference trainer: ${signal}, cancelling\n`);
    process.exit(exitCodes.cancelled);
  });
}

try {
  const spec = await readSpec(process.argv[2]);
  const started = performance.now();
  const done = await train(spec, { emit, log: (line) => process.stderr.write(`reference trainer: ${line}\n`) });
  process.stderr.write(`reference trainer: finished in ${((performance.now() - started) / 1000).toFixed(2)}s\n`);
  emit(done);
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  if (!isBoraError(e)) process.stderr.write(`${e instanceof Error ? e.stack : message}\n`);
  emit({ type: "error", message });
  process.exitCode = isBoraError(e) && e.code === "bad_request:trainer_spec" ? exitCodes.invalidSpec : exitCodes.failed;
}
