// The "command" fine-tuning trainer contract: how Bora drives any trainer program, and what the
// reference trainer in this folder implements.
//
// Invocation: Bora runs `<command> <spec.json path>` as a child process. The spec is one JSON object:
//   {
//     "job_id": string,
//     "model": string,                       base model alias
//     "suffix": string | null,
//     "training_files": [{ "path": string, "weight": number }],   absolute paths to JSONL files
//     "validation_files": [string],          absolute paths to JSONL files
//     "hyperparameters": { "training_steps": number, "learning_rate": number, "weight_decay"?: number,
//                          "warmup_fraction"?: number, "epochs"?: number, "seq_len"?: number },
//     "output_dir": string,                  absolute path; exists and is writable
//     "resume_from"?: string                 a checkpoint file this trainer wrote earlier (Bora restarted mid-job)
//   }
// The JSONL files are Mistral instruct datasets, one `{"messages":[{"role","content"}, ...]}` per line,
// role one of system, user, assistant, tool.
//
// Output: stdout carries JSON lines, one per event, and nothing else; diagnostics go to stderr.
//   {"type":"progress","step":n,"total_steps":N,"train_loss":x}           every few steps
//   {"type":"checkpoint","step":n,"train_loss":x,"valid_loss":y|null,"valid_mean_token_accuracy":z|null,
//    "path":"<output_dir>/checkpoint-<n>.json"}                          every max(1, N/10) steps and at step N;
//                                                                         the file holds the weights and the step,
//                                                                         and `resume_from` continues from it
//   {"type":"done","model":"<name to register>","trained_tokens":n}       last, then exit 0
//   {"type":"error","message":"..."}                                      on failure, then a non-zero exit;
//                                                                         exit 2 when the spec is invalid
// SIGTERM means cancel: the trainer exits promptly, non-zero, without a done line.
// Given the same spec a trainer should train the same way (seeded randomness).
//
// Reference trainer specifics (other trainers may differ): a character-level model (./model.ts);
// losses are nats per character and tokens are characters; a step trains on seq_len characters
// (default 64, at most 512); learning_rate is scaled for a tiny model (./optimizer.ts); epochs is
// ignored, training_steps alone sets the length; the trained model is the last checkpoint file,
// served by ./generate.ts.
import path from "node:path";
import { z } from "zod";

const absolutePath = z.string().min(1).refine((p) => path.isAbsolute(p), "must be an absolute path");

export const trainerSpecSchema = z.object({
  job_id: z.string().min(1),
  model: z.string().min(1),
  // Absent and null both mean "no suffix"; Bora sends null, hand-written specs often omit it.
  suffix: z.string().nullish().transform((s) => s ?? null),
  training_files: z
    .array(z.object({ path: absolutePath, weight: z.number().finite().nonnegative() }))
    .min(1)
    .refine((files) => files.some((f) => f.weight > 0), "at least one training file needs a positive weight"),
  validation_files: z.array(absolutePath).default([]),
  hyperparameters: z.object({
    training_steps: z.number().int().positive(),
    learning_rate: z.number().finite().positive(),
    weight_decay: z.number().finite().nonnegative().optional(),
    warmup_fraction: z.number().min(0).max(1).optional(),
    epochs: z.number().finite().positive().optional(),
    seq_len: z.number().int().positive().optional(),
  }),
  output_dir: absolutePath,
  resume_from: z.string().min(1).optional(),
});

export type TrainerSpec = z.infer<typeof trainerSpecSchema>;
export type Hyperparameters = TrainerSpec["hyperparameters"];

// Bora parses each stdout line of any trainer with this schema, so the event types derive from it.
const loss = z.number().finite();
export const trainerEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("progress"), step: z.number().int().nonnegative(), total_steps: z.number().int().positive(), train_loss: loss }),
  z.object({
    type: z.literal("checkpoint"),
    step: z.number().int().nonnegative(),
    train_loss: loss,
    valid_loss: loss.nullable(),
    valid_mean_token_accuracy: z.number().min(0).max(1).nullable(),
    path: z.string().min(1),
  }),
  z.object({ type: z.literal("done"), model: z.string().min(1), trained_tokens: z.number().int().nonnegative() }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);

export type TrainerEvent = z.infer<typeof trainerEventSchema>;
export type ProgressEvent = Extract<TrainerEvent, { type: "progress" }>;
export type CheckpointEvent = Extract<TrainerEvent, { type: "checkpoint" }>;
export type DoneEvent = Extract<TrainerEvent, { type: "done" }>;

/** Exit codes Bora can tell apart; 143 is the shell's 128 + SIGTERM. */
export const exitCodes = { ok: 0, failed: 1, invalidSpec: 2, cancelled: 143 } as const;
