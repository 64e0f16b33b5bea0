// One error type for everything Bora refuses on purpose. The code names the kind of failure
// and the object ("forbidden:members"); the door (API, console, CLI) renders it once.
export type ErrorKind =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limit"
  | "payload_too_large"
  | "unprocessable"
  | "unavailable"
  | "bad_gateway"
  | "gateway_timeout";

const statusByKind: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limit: 429,
  unavailable: 503,
  bad_gateway: 502,
  gateway_timeout: 504,
};

export class BoraError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly status: number;
  /** The input field that caused the error, so forms can show it beside the field. */
  readonly param?: string;
  readonly retryAfterSeconds?: number;

  constructor(code: `${ErrorKind}:${string}`, message: string, opts: { param?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "BoraError";
    this.code = code;
    this.kind = code.split(":")[0] as ErrorKind;
    this.status = statusByKind[this.kind];
    this.param = opts.param;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

export function isBoraError(e: unknown): e is BoraError {
  return e instanceof BoraError || (e instanceof Error && e.name === "BoraError" && "code" in e && "status" in e);
}
