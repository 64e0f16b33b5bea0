// HTTP to upstream providers through undici's pooled dispatcher, with separate timeouts for the
// first byte and between chunks. Calls go through `dispatch` with a handler of ours rather than
// undici's request(): request() wraps every call in an AsyncResource, an AbortSignal listener
// and a Readable body, which the gateway, reading each body once, does not need.
import type { Readable } from "node:stream";
import { Agent, request, type Dispatcher } from "undici";
import type { CatalogDeployment } from "./catalog";
import type { Cancel } from "./cancel";
import type { UpstreamRequest } from "./providers/types";
import { UpstreamBody } from "./upstream-body";

const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connections: 512, connect: { timeout: 5_000 } });

type Headers = Record<string, string | string[] | undefined>;

/** An upstream's answer: from an HTTP upstream, or the local engine's look-alike (a stream with text()). */
export type UpstreamAnswer = {
  statusCode: number;
  headers: Headers;
  body: UpstreamBody | (Readable & { text(): Promise<string> });
};

/** Raised into a call when its client went away. */
export class UpstreamCancelled extends Error {
  constructor() {
    super("The client went away.");
  }
}

// A provider's base URL split once into what undici takes: its origin, and a path prefix (a
// base URL may hold one, e.g. https://host/openai). Parsing a URL per call was 1.5% of its CPU.
const targets = new Map<string, { origin: string; prefix: string }>();

function target(baseUrl: string) {
  let t = targets.get(baseUrl);
  if (!t) {
    const url = new URL(baseUrl);
    t = { origin: url.origin, prefix: url.pathname.replace(/\/+$/, "") };
    targets.set(baseUrl, t);
  }
  return t;
}

/**
 * Sends one request; resolves with the status and headers once they come, the body to be read
 * from the answer. `traceHeaders`: the trace context (traceparent) of this attempt's span.
 */
export function callUpstream(d: CatalogDeployment, req: UpstreamRequest, cancel: Cancel, traceHeaders?: Record<string, string>): Promise<UpstreamAnswer> {
  const { origin, prefix } = target(d.provider.baseUrl);
  return new Promise((resolve, reject) => {
    const handler = new AnswerHandler(resolve, reject);
    handler.stopListening = cancel.on(() => handler.abort(new UpstreamCancelled()));
    agent.dispatch(
      {
        origin,
        path: prefix + req.path,
        method: "POST",
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
      },
      handler,
    );
  });
}

function noop() {}

/** undici's side of one call: the answer's head resolves the call, its chunks go to the body. */
class AnswerHandler implements Dispatcher.DispatchHandler {
  stopListening = noop;
  private controller: Dispatcher.DispatchController | undefined;
  private body: UpstreamBody | undefined;
  private aborted: Error | undefined;

  constructor(
    private readonly resolve: (answer: UpstreamAnswer) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  abort(reason: Error) {
    this.aborted = reason;
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController) {
    this.controller = controller;
    if (this.aborted) controller.abort(this.aborted);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Headers) {
    if (statusCode < 200) return; // 1xx: the answer is still to come
    this.body = new UpstreamBody((reason) => controller.abort(reason));
    this.resolve({ statusCode, headers, body: this.body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer) {
    this.body?.push(chunk);
  }

  onResponseEnd() {
    this.stopListening();
    this.body?.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error) {
    this.stopListening();
    if (this.body) this.body.fail(err);
    else this.reject(err);
  }
}

/** GET a JSON document from a provider (model lists, health checks). */
export async function getUpstreamJson(baseUrl: string, path: string, apiKey: string | undefined, timeoutMs = 10_000): Promise<unknown> {
  const res = await request(baseUrl + path, { method: "GET", dispatcher: agent, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}
