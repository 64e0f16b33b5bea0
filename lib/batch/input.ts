// What POST /v1/batch/jobs accepts, and the check of every input line before anything runs:
// each line parsed, custom_id present and unique, body valid for the endpoint. A bad input is
// refused whole, with the line numbers, so a batch never half-runs on a broken file.
import { z } from "zod";
import { batchEndpoints, type BatchEndpoint } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import { chatRequest } from "@/lib/gateway/schemas/chat";
import { embeddingsRequest, fimRequest } from "@/lib/gateway/schemas/fim";

export const createBatchInput = z
  .object({
    input_files: z.array(z.string().uuid("input_files must be file ids from POST /v1/files.")).nullish(),
    requests: z.array(z.object({ custom_id: z.string().nullish(), body: z.record(z.string(), z.unknown()) })).max(100_000).nullish(),
    endpoint: z.enum(batchEndpoints, { message: `endpoint must be one of ${batchEndpoints.join(", ")}.` }),
    model: z.string().min(1).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    timeout_hours: z.number().int().min(1).max(168).default(24),
  })
  .refine((b) => Boolean(b.input_files?.length) !== Boolean(b.requests?.length), { message: "Give input_files or requests (one of them).", path: ["input_files"] });
export type CreateBatchInput = z.infer<typeof createBatchInput>;

export type BatchLineInput = { customId: string; body: Record<string, unknown> };

const bodySchema: Record<BatchEndpoint, z.ZodType> = {
  "/v1/chat/completions": chatRequest,
  "/v1/fim/completions": fimRequest,
  "/v1/embeddings": embeddingsRequest,
};

export type LineProblem = { line: number; message: string; file?: string };

/** Checks lines already split out; `line` numbers are 1-based positions in the input. */
export function checkLines(raw: { line: number; value: unknown }[], endpoint: BatchEndpoint, model: string | null | undefined): { lines: BatchLineInput[]; problems: LineProblem[] } {
  const problems: LineProblem[] = [];
  const lines: BatchLineInput[] = [];
  const seen = new Map<string, number>();
  for (const { line, value } of raw) {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      problems.push({ line, message: "must be an object with custom_id and body" });
      continue;
    }
    const v = value as { custom_id?: unknown; body?: unknown };
    const customId = v.custom_id === undefined || v.custom_id === null ? String(line - 1) : String(v.custom_id);
    const earlier = seen.get(customId);
    if (earlier !== undefined) problems.push({ line, message: `custom_id "${customId}" repeats line ${earlier}` });
    seen.set(customId, line);
    if (!v.body || typeof v.body !== "object" || Array.isArray(v.body)) {
      problems.push({ line, message: "body must be an object (the request)" });
      continue;
    }
    // The job's model applies to lines that name none.
    const body: Record<string, unknown> = { ...(v.body as Record<string, unknown>), ...(model && !(v.body as { model?: unknown }).model ? { model } : {}) };
    const parsed = bodySchema[endpoint].safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      problems.push({ line, message: `body.${issue.path.join(".") || "(root)"}: ${issue.message}` });
      continue;
    }
    if (body.stream === true) {
      problems.push({ line, message: "body.stream: batch requests cannot stream" });
      continue;
    }
    lines.push({ customId, body });
  }
  return { lines, problems };
}

/** Splits a JSONL text into parsed lines (blank lines skipped, numbers kept). */
export function parseJsonl(text: string, firstLine = 1): { line: number; value: unknown }[] | LineProblem {
  const out: { line: number; value: unknown }[] = [];
  const rows = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (!row) continue;
    try {
      out.push({ line: firstLine + i, value: JSON.parse(row) });
    } catch (err) {
      return { line: firstLine + i, message: `not valid JSON (${(err as Error).message})` };
    }
  }
  return out;
}

export function refuse(problems: LineProblem[]): never {
  const shown = problems.slice(0, 10).map((p) => `line ${p.line}${p.file ? ` of ${p.file}` : ""}: ${p.message}`);
  const more = problems.length > 10 ? ` … and ${problems.length - 10} more` : "";
  throw new BoraError("unprocessable:batch_input", `The batch cannot run: ${shown.join("; ")}${more}.`, { param: "input_files" });
}
