// What a batch job request must be (BatchJobIn of @mistralai/mistralai 1.x) and what each line
// of its input files must hold, checked before the job is queued: a 422 names the field, or the
// file and line, so a batch never half-runs on a broken file.
import { messageText, type SimMessage } from "./content";
import type { FileStore } from "./files";

export const batchEndpoints = ["/v1/chat/completions", "/v1/fim/completions", "/v1/embeddings"] as const;
export type BatchEndpoint = (typeof batchEndpoints)[number];

/** One request of the batch: its body already carries the job's model when the line named none. */
export type BatchLine = { customId: string; body: Record<string, unknown>; failure: string | null };

export type BatchJobIn = {
  inputFiles: string[];
  endpoint: BatchEndpoint;
  model: string | null;
  metadata: Record<string, unknown> | null;
  timeoutHours: number;
  lines: BatchLine[];
};

export type Refusal = { status: 404 | 422; message: string };

// At most this many problems in one 422: enough to fix a file, short enough to read.
const shownProblems = 5;

/**
 * The request and every line of its files; `knownModel` tells a model the simulator would
 * refuse (a fine-tuned one no job produced), whose lines fail as the endpoint would fail them.
 */
export function parseBatchJobIn(body: Record<string, unknown>, files: FileStore, knownModel: (model: string) => boolean): BatchJobIn | Refusal {
  const invalid = (message: string): Refusal => ({ status: 422, message });
  const input = body.input_files;
  if (!Array.isArray(input) || input.length === 0 || input.some((f) => typeof f !== "string")) return invalid("input_files: a non-empty list of file ids is required");
  if (!(batchEndpoints as readonly unknown[]).includes(body.endpoint)) return invalid(`endpoint: must be one of ${batchEndpoints.join(", ")}`);
  if (body.model != null && (typeof body.model !== "string" || !body.model)) return invalid("model: must be a model name");
  if (body.metadata != null && (typeof body.metadata !== "object" || Array.isArray(body.metadata))) return invalid("metadata: must be an object");
  const timeoutHours = body.timeout_hours ?? 24;
  if (typeof timeoutHours !== "number" || !Number.isInteger(timeoutHours) || timeoutHours < 1 || timeoutHours > 168) return invalid("timeout_hours: must be an integer from 1 to 168");
  const endpoint = body.endpoint as BatchEndpoint;
  const model = (body.model as string | null | undefined) ?? null;

  const out: BatchLine[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const fileId of input as string[]) {
    const file = files.get(fileId);
    if (!file) return { status: 404, message: `File ${fileId} not found` };
    if (file.purpose !== "batch") return invalid(`File ${fileId} has purpose ${file.purpose}, not batch`);
    // Numbered as in the file: blank lines are skipped but counted.
    const rows = file.content.toString("utf8").split(/\r?\n/);
    for (const [i, text] of rows.entries()) {
      if (!text.trim()) continue;
      const where = `file ${fileId} line ${i + 1}`;
      const line = parseLine(text, endpoint, model, out.length);
      if (typeof line === "string") {
        problems.push(`${where}: ${line}`);
        continue;
      }
      const earlier = seen.get(line.customId);
      if (earlier) {
        problems.push(`${where}: custom_id "${line.customId}" repeats ${earlier}`);
        continue;
      }
      seen.set(line.customId, where);
      const bodyModel = String(line.body.model);
      out.push({ ...line, failure: knownModel(bodyModel) ? failure(endpoint, line.body) : `Invalid model: ${bodyModel}` });
    }
  }
  if (problems.length) return invalid(`${problems.slice(0, shownProblems).join("; ")}${problems.length > shownProblems ? ` … and ${problems.length - shownProblems} more` : ""}`);
  if (out.length === 0) return invalid("input_files: the files hold no requests");
  return { inputFiles: input as string[], endpoint, model, metadata: (body.metadata as Record<string, unknown> | null | undefined) ?? null, timeoutHours, lines: out };
}

/** A line, or why it is refused. A line without custom_id gets its position in the batch, from "0". */
function parseLine(text: string, endpoint: BatchEndpoint, model: string | null, index: number): Omit<BatchLine, "failure"> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return "must be an object with custom_id and body";
  const { custom_id: customId, body } = value as { custom_id?: unknown; body?: unknown };
  if (customId != null && typeof customId !== "string" && typeof customId !== "number") return "custom_id: must be a string";
  if (!body || typeof body !== "object" || Array.isArray(body)) return "body: must be an object (the request)";
  const request = { ...(body as Record<string, unknown>) };
  request.model ??= model;
  if (typeof request.model !== "string" || !request.model) return "body.model: Field required (in the line or in the job)";
  if (request.stream === true) return "body.stream: batch requests cannot stream";
  const why = bodyProblem(endpoint, request);
  if (why) return why;
  return { customId: customId == null ? String(index) : String(customId), body: request };
}

function bodyProblem(endpoint: BatchEndpoint, body: Record<string, unknown>): string | null {
  if (endpoint === "/v1/chat/completions") return Array.isArray(body.messages) && body.messages.length > 0 ? null : "body.messages: must be a non-empty list";
  if (endpoint === "/v1/fim/completions") return typeof body.prompt === "string" ? null : "body.prompt: Field required";
  const input = body.input;
  return typeof input === "string" || (Array.isArray(input) && input.length > 0 && input.every((t) => typeof t === "string")) ? null : "body.input: must be a string or a non-empty list of strings";
}

/**
 * Lines that ask to fail, so tests can count on failures: a chat whose last user message
 * contains "FAIL", a FIM prompt or an embeddings input that does.
 */
function failure(endpoint: BatchEndpoint, body: Record<string, unknown>): string | null {
  const asks =
    endpoint === "/v1/chat/completions"
      ? messageText((body.messages as SimMessage[]).findLast((m) => m?.role === "user")?.content).includes("FAIL")
      : endpoint === "/v1/fim/completions"
        ? String(body.prompt).includes("FAIL")
        : [body.input].flat().some((t) => String(t).includes("FAIL"));
  return asks ? "Simulated failure: the request asks for one (FAIL)" : null;
}
