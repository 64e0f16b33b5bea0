// What a fine-tuning job request must be (JobIn of @mistralai/mistralai 1.x), checked as La
// Plateforme checks it, and what its data must be for the job to get past VALIDATING.
import { lines } from "./files";

export type JobIn = {
  model: string;
  trainingFiles: string[];
  validationFiles: string[];
  suffix: string | null;
  autoStart: boolean;
  integrations: unknown[] | null;
  invalidSampleSkipPercentage: number;
  hyperparameters: Partial<Record<"training_steps" | "learning_rate" | "weight_decay" | "warmup_fraction" | "epochs" | "seq_len" | "fim_ratio", number>>;
};

/** JobIn, checked as La Plateforme checks it: a 422 names the field. */
export function parseJobIn(body: Record<string, unknown>): JobIn | { invalid: string } {
  if (typeof body.model !== "string" || !body.model) return { invalid: "model: Field required" };
  const training = body.training_files;
  if (!Array.isArray(training) || training.length === 0) return { invalid: "training_files: at least one training file is required" };
  const trainingFiles = training.map((f) => (typeof f === "string" ? f : f && typeof f === "object" ? (f as { file_id?: unknown }).file_id : undefined));
  if (trainingFiles.some((f) => typeof f !== "string")) return { invalid: "training_files: each entry needs a file_id" };
  const validation = body.validation_files ?? [];
  if (!Array.isArray(validation) || validation.some((f) => typeof f !== "string")) return { invalid: "validation_files: must be a list of file ids" };
  if (body.suffix != null && (typeof body.suffix !== "string" || body.suffix.length > 18)) return { invalid: "suffix: must be a string of at most 18 characters" };
  if (body.auto_start !== undefined && typeof body.auto_start !== "boolean") return { invalid: "auto_start: must be a boolean" };
  const hp = (body.hyperparameters ?? {}) as Record<string, unknown>;
  if (typeof hp !== "object" || Array.isArray(hp)) return { invalid: "hyperparameters: must be an object" };
  const hyperparameters: JobIn["hyperparameters"] = {};
  for (const key of ["training_steps", "learning_rate", "weight_decay", "warmup_fraction", "epochs", "seq_len", "fim_ratio"] as const) {
    const v = hp[key];
    if (v == null) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) return { invalid: `hyperparameters.${key}: must be a non-negative number` };
    hyperparameters[key] = v;
  }
  const steps = hyperparameters.training_steps;
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) return { invalid: "hyperparameters.training_steps: must be a positive integer" };
  const skip = body.invalid_sample_skip_percentage ?? 0;
  if (typeof skip !== "number" || skip < 0 || skip > 100) return { invalid: "invalid_sample_skip_percentage: must be between 0 and 100" };
  return {
    model: body.model,
    trainingFiles: trainingFiles as string[],
    validationFiles: validation as string[],
    suffix: (body.suffix as string | null | undefined) ?? null,
    autoStart: body.auto_start ?? true,
    integrations: Array.isArray(body.integrations) ? body.integrations : null,
    invalidSampleSkipPercentage: skip,
    hyperparameters,
  };
}

/**
 * Why a fine-tuning file fails validation, or null: each line must be JSON with `messages`
 * holding at least one assistant message (instruct) or with a `text` (pretrain). Up to
 * `skipPercentage` of the lines may be bad, as with invalid_sample_skip_percentage.
 */
export function validateSamples(text: string, skipPercentage = 0): string | null {
  const all = lines(text);
  if (all.length === 0) return "the file has no samples";
  const errors: string[] = [];
  all.forEach((line, i) => {
    const why = sampleError(line);
    if (why) errors.push(`line ${i + 1}: ${why}`);
  });
  if (errors.length === 0 || (errors.length / all.length) * 100 <= skipPercentage) return null;
  return `${errors.length} invalid sample${errors.length > 1 ? "s" : ""}: ${errors.slice(0, 3).join("; ")}`;
}

function sampleError(line: string): string | null {
  let sample: unknown;
  try {
    sample = JSON.parse(line);
  } catch {
    return "not valid JSON";
  }
  if (!sample || typeof sample !== "object" || Array.isArray(sample)) return "a sample must be a JSON object";
  const s = sample as { messages?: unknown; text?: unknown };
  if (typeof s.text === "string" && s.messages === undefined) return null;
  if (!Array.isArray(s.messages) || s.messages.length === 0) return "messages must be a non-empty list";
  if (!s.messages.some((m) => m && typeof m === "object" && (m as { role?: unknown }).role === "assistant")) return "no assistant message to learn from";
  return null;
}
