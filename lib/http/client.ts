// Bora's one HTTP client, for every call it makes out: the gateway to its upstreams, the batch
// worker to this Bora's own /v1, fine-tuning to a provider's API. node:http keep-alive agents,
// with a bound on connecting, on the time to the answer's head and between its chunks.
//
// Why node:http and not undici: undici writes a request on an idle pooled socket only after a
// setImmediate (it first looks for bytes the server sent unasked), so requests that arrive
// together leave together and, from an upstream with a steady latency, return together. Under
// load that kept the gateway at 91–94% of direct requests/s with a 50 ms upstream; on node:http,
// which writes at once, 96–97% (README, Performance).
import http from "node:http";
import https from "node:https";
import { ResponseBody } from "./response-body";

// `timeout`: an idle pooled socket is closed after 30 s, or a second before the server's own
// Keep-Alive hint, whichever is sooner (node applies the hint only below this value).
const agentOptions = { keepAlive: true, timeout: 30_000, maxSockets: 512, maxFreeSockets: 512 };
const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };
const connectTimeoutMs = 5_000;

export type HttpAnswer = { statusCode: number; headers: Record<string, string | string[] | undefined>; body: ResponseBody };

/** What can stop a request: the gateway's Cancel, or an AbortSignal through `fromSignal`. */
export type Cancellation = { on(listener: () => void): () => void };

export type HttpRequest = {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Bounds the wait for the answer's head, then each wait between two of its chunks. */
  timeoutMs: number;
  cancel?: Cancellation;
};

/** Raised into a request that was cancelled. */
export class RequestCancelled extends Error {
  constructor() {
    super("The request was cancelled.");
  }
}

/** The other end took too long: to connect, to send its answer's head, or between two chunks. */
export class RequestTimeout extends Error {
  constructor(
    readonly phase: "connect" | "head" | "body",
    ms: number,
  ) {
    super(phase === "connect" ? `Could not connect within ${ms} ms.` : phase === "head" ? `No answer within ${ms} ms.` : `The answer stalled for ${ms} ms.`);
  }
}

export function fromSignal(signal: AbortSignal): Cancellation {
  return {
    on(listener) {
      if (signal.aborted) {
        listener();
        return noop;
      }
      signal.addEventListener("abort", listener, { once: true });
      return () => signal.removeEventListener("abort", listener);
    },
  };
}

// A base URL split once into what node:http takes. Parsing a URL per call was 1.5% of a
// proxied request's CPU. A base URL may hold a path prefix, e.g. https://host/openai.
type Target = { client: typeof http | typeof https; agent: http.Agent; hostname: string; port: string; prefix: string };
const targets = new Map<string, Target>();

function target(baseUrl: string): Target {
  let t = targets.get(baseUrl);
  if (!t) {
    const url = new URL(baseUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`Not an http(s) URL: ${baseUrl}`);
    // [::1] in a URL is ::1 to the resolver.
    const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
    t = { client: url.protocol === "https:" ? https : http, agent: agents[url.protocol], hostname, port: url.port, prefix: url.pathname.replace(/\/+$/, "") };
    targets.set(baseUrl, t);
  }
  return t;
}

/** Sends `path` under `baseUrl`; resolves once the answer's head has come, its body to be read. */
export function httpRequest(baseUrl: string, path: string, r: HttpRequest): Promise<HttpAnswer> {
  const t = target(baseUrl);
  return new Promise((resolve, reject) => {
    const call = new Call(resolve, reject, r.timeoutMs);
    call.start(() => {
      const req = t.client.request({ agent: t.agent, hostname: t.hostname, port: t.port, path: t.prefix + path, method: r.method, headers: r.headers });
      req.end(r.body);
      return req;
    });
    if (r.cancel) call.stopListening = r.cancel.on(() => call.abort(new RequestCancelled()));
  });
}

function noop() {}

const retriable = new Set(["ECONNRESET", "EPIPE"]);

/** One request: its node:http request, its timers, and the body its chunks go to. */
class Call {
  stopListening = noop;
  private req: http.ClientRequest | undefined;
  private body: ResponseBody | undefined;
  private timer: NodeJS.Timeout;
  private phase: "head" | "body" = "head";
  private done = false;
  private retried = false;

  constructor(
    private readonly resolve: (answer: HttpAnswer) => void,
    private readonly reject: (err: Error) => void,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.abort(new RequestTimeout(this.phase, timeoutMs)), timeoutMs);
  }

  start(open: () => http.ClientRequest) {
    let req: http.ClientRequest;
    try {
      req = open();
    } catch (err) {
      // Refused before anything was sent, e.g. a header value with a line break in it.
      this.failed(err as Error);
      return;
    }
    this.req = req;
    req.on("socket", (socket) => {
      if (!socket.connecting) return;
      const connect = setTimeout(() => this.abort(new RequestTimeout("connect", connectTimeoutMs)), connectTimeoutMs);
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
    const body = new ResponseBody((reason) => this.abort(reason));
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
      if (!res.complete) this.failed(new Error("The connection closed before the end of the answer."));
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
