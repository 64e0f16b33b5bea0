// HTTP to upstream providers with undici's pooled dispatcher: about a third of fetch's CPU per
// proxied request (shared/NOTES.md), and separate timeouts for the first byte and the body.
import { Agent, request, type Dispatcher } from "undici";
import type { CatalogDeployment } from "./catalog";
import type { UpstreamRequest } from "./providers/types";

const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connections: 512, connect: { timeout: 5_000 } });

/** An upstream's answer: undici's response, or the local engine's look-alike. */
export type UpstreamAnswer = {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer | string> & { text(): Promise<string> };
};

/** `traceHeaders`: the trace context (traceparent) of this attempt's span, when tracing is on. */
export function callUpstream(d: CatalogDeployment, req: UpstreamRequest, signal: AbortSignal, traceHeaders?: Record<string, string>): Promise<Dispatcher.ResponseData> {
  return request(d.provider.baseUrl + req.path, {
    method: "POST",
    dispatcher: agent,
    headers: {
      "content-type": "application/json",
      accept: req.body.stream ? "text/event-stream" : "application/json",
      ...(d.provider.apiKey ? { authorization: `Bearer ${d.provider.apiKey}` } : {}),
      ...traceHeaders,
    },
    body: req.text ?? JSON.stringify(req.body),
    // Time to the response headers; streams then get the same bound between chunks.
    headersTimeout: d.timeoutMs,
    bodyTimeout: d.timeoutMs,
    signal,
  });
}

/** GET a JSON document from a provider (model lists, health checks). */
export async function getUpstreamJson(baseUrl: string, path: string, apiKey: string | undefined, timeoutMs = 10_000): Promise<unknown> {
  const res = await request(baseUrl + path, { method: "GET", dispatcher: agent, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}
