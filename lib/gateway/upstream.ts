// HTTP to upstream providers over node:http's keep-alive agents, with a bound on connecting, on
// the time to the answer's head, and between its chunks.
//
// Why node:http and not undici: undici writes a request on an idle pooled socket only after a
// setImmediate (it first looks for bytes the server sent unasked), so requests that arrive
// together leave together and, from an upstream with a steady latency, return together. Under
// load that kept Bora at 91–94% of direct requests/s with a 50 ms upstream; the same bare proxy
// on node:http, which writes at once, kept 98–99% (README, Performance).
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import type { CatalogDeployment } from "./catalog";
import type { Cancel } from "./cancel";
import type { UpstreamRequest } from "./providers/types";
import { UpstreamBody } from "./upstream-body";

// `timeout`: an idle pooled socket is closed after 30 s, or a second before the server's own
// Keep-Alive hint, whichever is sooner (node applies the hint only below this value).
const agentOptions = { keepAlive: true, timeout: 30_000, maxSockets: 512, maxFreeSockets: 512 };
const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };
const connectTimeoutMs = 5_000;

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

/** The upstream took too long: to connect, to send its answer's head, or between two chunks. */
export class UpstreamTimeout extends Error {
  constructor(
    readonly phase: "connect" | "head" | "body",
    ms: number,
  ) {
    super(phase === "connect" ? `Could not connect within ${ms} ms.` : phase === "head" ? `No answer within ${ms} ms.` : `The answer stalled for ${ms} ms.`);
  }
}

// A provider's base URL split once into what node:http takes. Parsing a URL per call was 1.5%
// of its CPU. A base URL may hold a path prefix, e.g. https://host/openai.
type Target = { client: typeof http | typeof https; agent: http.Agent; hostname: string; port: string; prefix: string };
const targets = new Map<string, Target>();

function target(baseUrl: string): Target {
  let t = targets.get(baseUrl);
  if (!t) {
    const url = new URL(baseUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`Unsupported upstream URL: ${baseUrl}`);
    // [::1] in a URL is ::1 to the resolver.
    const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
    t = { client: url.protocol === "https:" ? https : http, agent: agents[url.protocol], hostname, port: url.port, prefix: url.pathname.replace(/\/+$/, "") };
    targets.set(baseUrl, t);
  }
  return t;
}

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
  return send(target(d.provider.baseUrl), "POST", req.path, headers, req.text ?? JSON.stringify(req.body), d.timeoutMs, cancel);
}

/** GET a JSON document from a provider (model lists, health checks). */
export async function getUpstreamJson(baseUrl: string, path: string, apiKey: string | undefined, timeoutMs = 10_000): Promise<unknown> {
  const res = await send(target(baseUrl), "GET", path, apiKey ? { authorization: `Bearer ${apiKey}` } : {}, undefined, timeoutMs);
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

function send(t: Target, method: string, path: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number, cancel?: Cancel): Promise<UpstreamAnswer & { body: UpstreamBody }> {
  return new Promise((resolve, reject) => {
    const call = new Call(resolve, reject, timeoutMs);
    call.start(() => {
      const req = t.client.request({ agent: t.agent, hostname: t.hostname, port: t.port, path: t.prefix + path, method, headers });
      req.end(body);
      return req;
    });
    if (cancel) call.stopListening = cancel.on(() => call.abort(new UpstreamCancelled()));
  });
}

function noop() {}

const retriable = new Set(["ECONNRESET", "EPIPE"]);

/** One upstream call: its request, its timers, and the answer's body the chunks go to. */
class Call {
  stopListening = noop;
  private req: http.ClientRequest | undefined;
  private body: UpstreamBody | undefined;
  private timer: NodeJS.Timeout;
  private phase: "head" | "body" = "head";
  private done = false;
  private retried = false;

  constructor(
    private readonly resolve: (answer: UpstreamAnswer & { body: UpstreamBody }) => void,
    private readonly reject: (err: Error) => void,
    private readonly timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.abort(new UpstreamTimeout(this.phase, timeoutMs)), timeoutMs);
  }

  start(open: () => http.ClientRequest) {
    const req = open();
    this.req = req;
    req.on("socket", (socket) => {
      if (!socket.connecting) return;
      const connect = setTimeout(() => this.abort(new UpstreamTimeout("connect", connectTimeoutMs)), connectTimeoutMs);
      socket.once("connect", () => clearTimeout(connect));
      socket.once("close", () => clearTimeout(connect));
    });
    req.on("response", (res) => this.answered(res));
    req.on("error", (err: NodeJS.ErrnoException) => {
      // A pooled socket the server closed as we wrote on it: node's advice is to send again, once,
      // on a fresh one. Nothing of the request was answered, so this does not run it twice.
      if (!this.body && !this.done && req.reusedSocket && !this.retried && retriable.has(err.code ?? "")) {
        this.retried = true;
        this.start(open);
        return;
      }
      this.failed(err);
    });
  }

  abort(reason: Error) {
    if (this.done) return;
    this.failed(reason);
    this.req?.destroy(reason);
  }

  private answered(res: http.IncomingMessage) {
    this.phase = "body";
    this.timer.refresh();
    const body = new UpstreamBody((reason) => this.abort(reason));
    this.body = body;
    res.on("data", (chunk: Buffer) => {
      this.timer.refresh();
      body.push(chunk);
    });
    res.on("end", () => {
      this.finish();
      body.end();
    });
    // A connection closed before the end: 'error' (aborted) comes first, then 'close'.
    res.on("error", (err) => this.failed(err));
    res.on("close", () => {
      if (!res.complete) this.failed(new Error("The upstream closed the connection before the end of its answer."));
    });
    this.resolve({ statusCode: res.statusCode ?? 502, headers: res.headers, body });
  }

  private failed(err: Error) {
    if (this.done) return;
    this.finish();
    if (this.body) this.body.fail(err);
    else this.reject(err);
  }

  private finish() {
    this.done = true;
    clearTimeout(this.timer);
    this.stopListening();
  }
}
