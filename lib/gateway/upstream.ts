// Calls to upstream providers, through Bora's HTTP client (lib/http/client.ts).
import type { Readable } from "node:stream";
import { httpRequest, type HttpAnswer } from "@/lib/http/client";
import type { ResponseBody } from "@/lib/http/response-body";
import type { CatalogDeployment } from "./catalog";
import type { Cancel } from "./cancel";
import type { UpstreamRequest } from "./providers/types";

/** An upstream's answer: from an HTTP upstream, or the local engine's look-alike (a stream with text()). */
export type UpstreamAnswer = {
  statusCode: number;
  headers: HttpAnswer["headers"];
  body: ResponseBody | (Readable & { text(): Promise<string> });
};

/**
 * Sends one request; resolves with the status and headers once they come, the body to be read
 * from the answer. `traceHeaders`: the trace context (traceparent) of this attempt's span.
 */
export function callUpstream(d: CatalogDeployment, req: UpstreamRequest, cancel: Cancel, traceHeaders?: Record<string, string>): Promise<UpstreamAnswer> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: req.body.stream ? "text/event-stream" : "application/json",
    ...(d.provider.apiKey ? { authorization: `Bearer ${d.provider.apiKey}` } : {}),
    ...traceHeaders,
  };
  return httpRequest(d.provider.baseUrl, req.path, { method: "POST", headers, body: req.text ?? JSON.stringify(req.body), timeoutMs: d.timeoutMs, cancel });
}

/** GET a JSON document from a provider (model lists, health checks). */
export async function getUpstreamJson(baseUrl: string, path: string, apiKey: string | undefined, timeoutMs = 10_000): Promise<unknown> {
  const res = await httpRequest(baseUrl, path, { method: "GET", headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, timeoutMs });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}
