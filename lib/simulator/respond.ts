// How the simulator answers: JSON bodies and errors in each dialect's shape, shared by the
// inference routes (server.ts) and La Plateforme's files and fine-tuning routes.
import type { ServerResponse } from "node:http";

export type Dialect = "mistral" | "openai";

export function json(res: ServerResponse, status: number, body: unknown) {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
  res.end(payload);
}

export function error(res: ServerResponse, dialect: Dialect, status: number, message: string, headers: Record<string, string> = {}) {
  const body =
    dialect === "mistral"
      ? { object: "error", message, type: status === 429 ? "rate_limited" : "invalid_request_error", param: null, code: String(status) }
      : { error: { message, type: "invalid_request_error", code: String(status) } };
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
