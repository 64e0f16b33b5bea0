// The end of a simulated batch: its output file (one line per succeeded request) and error file
// (one per failed request), JSONL in input order, stored as files of purpose "batch" so the Files
// API serves them. Each response is what the simulator's own endpoint answers for that body.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BatchLine } from "./batch-input";
import { lineDoneAt, linesDone, type SimBatch } from "./batch-progress";
import { chatCompletion, chatReply, completionBase, embeddingsBody, fimCompletionBody, fimReply } from "./completions";
import type { FileStore } from "./files";

/** A line of the output file. */
export type BatchResultLine = { id: string; custom_id: string; response: { status_code: 200; body: Record<string, unknown> }; error: null };
/** A line of the error file: the error body the endpoint would have answered, and the error in short. */
export type BatchErrorLine = { id: string; custom_id: string; response: { status_code: 400; body: Record<string, unknown> }; error: { message: string; code: string } };

/** Writes the result files of an ended job (only those with lines) and records their ids on it. */
export async function writeResults(files: FileStore, job: SimBatch): Promise<void> {
  const done = job.lines.slice(0, linesDone(job, Infinity));
  const results: BatchResultLine[] = [];
  const failures: BatchErrorLine[] = [];
  done.forEach((line, index) => {
    const id = `${job.id}:${index}`;
    if (line.failure === null) results.push({ id, custom_id: line.customId, response: { status_code: 200, body: answerLine(job, line, lineDoneAt(job, index)) }, error: null });
    // The body is Mistral's error shape, as respond.ts's error() writes it.
    else failures.push({ id, custom_id: line.customId, response: { status_code: 400, body: { object: "error", message: line.failure, type: "invalid_request_error", param: null, code: "400" } }, error: { message: line.failure, code: "400" } });
  });
  if (results.length) job.outputFile = await storeResultFile(files, `batch-${job.id}-output.jsonl`, "batch_result", results);
  if (failures.length) job.errorFile = await storeResultFile(files, `batch-${job.id}-errors.jsonl`, "batch_error", failures);
}

/** The non-streamed answer of the job's endpoint, created when the line was done. */
function answerLine(job: SimBatch, line: BatchLine, doneMs: number): Record<string, unknown> {
  const base = completionBase(line.body.model, doneMs);
  if (job.endpoint === "/v1/chat/completions") return chatCompletion(chatReply(line.body), "mistral", base);
  if (job.endpoint === "/v1/fim/completions") return fimCompletionBody(fimReply(line.body), "mistral", base);
  return embeddingsBody(line.body, base);
}

/**
 * Stores a JSONL file through the Files API's own upload handler, then marks its sample type.
 * Why not a method on the FileStore: files.ts has no way to add a file but an upload, and it is
 * not ours to change; going through its handler keeps every files route (list, retrieve,
 * content, delete) right for these files. Uploads of purpose "batch" read as batch_request.
 */
async function storeResultFile(files: FileStore, filename: string, sampleType: "batch_result" | "batch_error", rows: unknown[]): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([rows.map((r) => JSON.stringify(r)).join("\n") + "\n"], { type: "application/jsonl" }), filename);
  form.append("purpose", "batch");
  const request = new Request("http://sim/v1/files", { method: "POST", body: form });
  const body = Buffer.from(await request.arrayBuffer());
  const req = { method: "POST", headers: { "content-type": request.headers.get("content-type") ?? "" } } as unknown as IncomingMessage;
  let status = 0;
  let payload = "";
  const res = {
    writeHead(s: number) {
      status = s;
      return res;
    },
    end(chunk?: string) {
      payload = chunk ?? "";
      return res;
    },
  } as unknown as ServerResponse;
  await files.handle({ req, res, url: new URL(request.url), path: "/v1/files", body });
  if (status !== 200) throw new Error(`Storing ${filename} failed: ${payload}`);
  const { id } = JSON.parse(payload) as { id: string };
  files.get(id)!.sample_type = sampleType;
  return id;
}
