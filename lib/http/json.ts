// Reading and writing JSON on node:http for Bora's own listeners (/v1 and the management API).
// Errors take the API's one shape: {object, message, type, param, code, request_id}.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ZodError } from "zod";
import { BoraError, isBoraError } from "@/lib/errors";
import { log } from "@/lib/log";

export const defaultBodyLimit = 1024 * 1024;

export async function readJson(req: IncomingMessage, limit = defaultBodyLimit): Promise<unknown> {
  return (await readJsonWithText(req, limit)).value;
}

/** The parsed body and its text, for handlers that may forward the bytes unchanged. */
export async function readJsonWithText(req: IncomingMessage, limit = defaultBodyLimit): Promise<{ value: unknown; text: string }> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new BoraError("payload_too_large:body", `The body is larger than ${limit} bytes.`);
  const text = await readText(req, limit).catch(cutShort);
  if (text === "") return { value: {}, text: "{}" };
  try {
    return { value: JSON.parse(text), text };
  } catch {
    throw new BoraError("bad_request:json", "The body is not valid JSON.");
  }
}

// The client went away mid-body ("aborted", a premature close): its own doing, not an error of
// ours to log as unhandled.
function cutShort(err: unknown): never {
  if (isBoraError(err)) throw err;
  throw new BoraError("bad_request:body", "The request body ended before it was complete.");
}

// With 'data' and 'end' listeners rather than `for await`: a stream's async iterator (and the
// end-of-stream watcher it sets up) cost more CPU than the rest of reading a small body.
function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => new BodyReader(req, limit, resolve, reject).start());
}

// A class, not closures: tsx (keepNames) renames every named closure with a defineProperty call,
// which costs more than the closure itself on a per-request path.
class BodyReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly onData = this.data.bind(this);
  private readonly onEnd = this.done.bind(this, null);
  private readonly onError = this.done.bind(this);
  private readonly onClose = this.closed.bind(this);

  constructor(
    private readonly req: IncomingMessage,
    private readonly limit: number,
    private readonly resolve: (text: string) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  start() {
    const req = this.req;
    if (req.readableEnded) return this.resolve(""); // already read to its end: `for await` found nothing
    if (req.destroyed) return this.reject(req.errored ?? prematureClose());
    req.on("data", this.onData).on("end", this.onEnd).on("error", this.onError).on("close", this.onClose);
  }

  private data(chunk: Buffer) {
    this.size += chunk.length;
    if (this.size <= this.limit) return void this.chunks.push(chunk);
    this.done(new BoraError("payload_too_large:body", `The body is larger than ${this.limit} bytes.`));
    this.req.destroy(); // as leaving a `for await` early did
  }

  // Closed before its end, without an error of its own: what `for await` reported then.
  private closed() {
    this.done(prematureClose());
  }

  private done(err: Error | null) {
    this.req.off("data", this.onData).off("end", this.onEnd).off("error", this.onError).off("close", this.onClose);
    if (err) return this.reject(err);
    const { chunks, size } = this;
    this.resolve(size === 0 ? "" : chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks, size).toString("utf8"));
  }
}

function prematureClose(): Error {
  return Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

// Mistral's shape, plus the same fields under `error` in OpenAI's: the openai SDK reads an
// error's message only from there (without it, users saw "400 status code (no body)").
export type ErrorBody = { object: "error"; message: string; type: string; param: string | null; code: string; request_id: string; error: { message: string; type: string; param: string | null; code: string } };

/** An error in the API's shape; also sent as a stream's last event when its upstream dies mid-stream. */
export function errorPayload(message: string, type: string, param: string | null, code: string, requestId: string): ErrorBody {
  return { object: "error", message, type, param, code, request_id: requestId, error: { message, type, param, code } };
}

/** Turns anything thrown into the API's error body. Unknown errors are logged and hidden. */
export function errorBody(err: unknown, requestId: string): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (err instanceof ZodError) {
    const issue = err.issues[0]!;
    const param = issue.path.join(".") || null;
    return { status: 422, body: errorPayload(param ? `${param}: ${issue.message}` : issue.message, "invalid_request_error", param, "unprocessable:validation", requestId), headers: {} };
  }
  if (isBoraError(err)) {
    const headers: Record<string, string> = {};
    if (err.retryAfterSeconds) headers["retry-after"] = String(Math.ceil(err.retryAfterSeconds));
    const type = err.status === 401 ? "authentication_error" : err.status === 429 ? "rate_limit_error" : err.status >= 500 ? "api_error" : "invalid_request_error";
    return { status: err.status, body: errorPayload(err.message, type, err.param ?? null, err.code, requestId), headers };
  }
  log.error("unhandled error", { requestId, err });
  return { status: 500, body: errorPayload("Internal error. The request id identifies it in the server's logs.", "api_error", null, "internal", requestId), headers: {} };
}

/** Sends the error body; returns its status and code (for metrics), or undefined when the response had already begun. */
export function sendError(res: ServerResponse, err: unknown, requestId: string): { status: number; code: string } | undefined {
  const { status, body, headers } = errorBody(err, requestId);
  if (res.headersSent) {
    res.destroy();
    return undefined;
  }
  sendJson(res, status, body, headers);
  return { status, code: body.code };
}
