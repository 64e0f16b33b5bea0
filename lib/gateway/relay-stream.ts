// Relays an upstream SSE stream to the client, chunk by chunk, under the client's alias. For
// adapters whose chunks are already Mistral's (La Plateforme), chunks pass through as text with
// only the model name swapped: parsing and re-serialising every chunk would cost CPU and
// latency on every token. What metering needs (usage, finish, first token) is read on the way.
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { Dispatched } from "./dispatch";
import type { Body, Endpoint } from "./providers/types";
import type { RequestContext, RequestMeter, Usage } from "./relay";
import { SseParser } from "./sse";
import { errorPayload } from "@/lib/http/json";
import { ResponseBody } from "@/lib/http/response-body";

type Choice = { delta?: { content?: unknown; tool_calls?: { function?: { arguments?: string } }[] }; finish_reason?: unknown };

/** What a stream said, for metering: usage if sent, whether it finished, its text on demand. */
class Tally {
  usage: Usage | undefined;
  sawFinish = false;
  ttftMs: number | undefined;
  private readonly chunks: Body[] = [];
  private readonly raw: string[] = [];

  constructor(private readonly started: number) {}

  parsed(chunk: Body) {
    if (chunk.usage) this.usage = chunk.usage as Usage;
    for (const choice of (chunk.choices as Choice[] | undefined) ?? []) {
      if (choice.finish_reason) this.sawFinish = true;
      if (this.ttftMs === undefined && (choice.delta?.content || choice.delta?.tool_calls)) this.firstToken();
    }
    this.chunks.push(chunk);
  }

  /** A chunk seen as text only: parsed when it carries usage, scanned for the rest. */
  text(data: string) {
    if (data.includes('"usage"')) {
      try {
        this.usage = (JSON.parse(data) as Body).usage as Usage;
      } catch {
        // counted from the text instead
      }
    }
    if (!this.sawFinish && data.includes('"finish_reason":"')) this.sawFinish = true;
    if (this.ttftMs === undefined && /"content":"[^"]|"tool_calls":\[/.test(data)) this.firstToken();
    this.raw.push(data);
  }

  private firstToken() {
    this.ttftMs = Math.round(performance.now() - this.started);
  }

  completionText(): string {
    const all = [...this.chunks, ...this.raw.map((r) => safeParse(r))];
    return all
      .flatMap((c) => (c.choices as Choice[] | undefined) ?? [])
      .map((ch) => (typeof ch.delta?.content === "string" ? ch.delta.content : "") + (ch.delta?.tool_calls?.map((t) => t.function?.arguments ?? "").join("") ?? ""))
      .join("");
  }
}

function safeParse(data: string): Body {
  try {
    return JSON.parse(data) as Body;
  } catch {
    return {};
  }
}

/**
 * Hands the events of each read of the upstream's body to the relay, until it says [DONE] came
 * or the body ends. Stopping at [DONE] does not end the upstream request: release()
 * below lets the body's end come, and the connection goes back to the pool.
 */
function readBatches(body: Dispatched["response"]["body"], relay: SseRelay): Promise<void> {
  const parser = new SseParser();
  const onChunk = (chunk: Buffer) => {
    const batch = parser.push(chunk);
    return batch.length > 0 && relay.batch(batch);
  };
  return body instanceof ResponseBody ? body.read(onChunk) : readStream(body, onChunk);
}

/**
 * The local engine's answers are streams, read through their 'data' events. A stream destroyed
 * before its 'end' gets an AbortError, whose stack trace (mapped through tsx's source maps) is
 * dear, hence the pause rather than a destroy at the stop.
 */
function readStream(body: Readable, onChunk: (chunk: Buffer) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    // The error listener stays: an error after the stop must not go unhandled (rejecting twice is a no-op).
    const done = (err?: Error) => {
      body.off("data", onData).off("end", onEnd).off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      let stop = false;
      try {
        stop = onChunk(chunk);
      } catch (err) {
        return done(err as Error);
      }
      if (stop) {
        body.pause();
        done();
      }
    };
    const onEnd = () => done();
    const onClose = () => done(body.readableEnded ? undefined : new Error("The upstream stream closed before its end."));
    body.on("error", (err: Error) => done(err));
    body.on("data", onData).on("end", onEnd).on("close", onClose);
  });
}

/** After [DONE]: the body's end is awaited for one turn (its last bytes are usually in), then the request is stopped. */
async function release(body: Dispatched["response"]["body"]): Promise<void> {
  if (body instanceof ResponseBody) {
    if (body.ended) return;
    await new Promise((resolve) => setImmediate(resolve));
    if (!body.ended) body.cancel(new Error("The stream was relayed to its end; the rest is dropped."));
    return;
  }
  if (body.destroyed || body.readableEnded) return;
  body.on("error", () => {}); // nobody reads it any more; destroying it below emits one
  body.resume();
  await new Promise((resolve) => setImmediate(resolve));
  if (!body.readableEnded) body.destroy();
}

/**
 * What the relay does with each read's events: passes them on under the alias, noting what
 * metering needs. A class, not closures: tsx (keepNames) renames each named closure with a
 * defineProperty call, per request, which cost more than the closures themselves.
 */
class SseRelay {
  // Events leave in one socket write (and one HTTP chunk) per turn of the event loop, written
  // once this turn's reads are done (setImmediate runs right after them); those read with
  // [DONE] go out with the end. A write per event, or even per upstream read (upstreams often
  // write each event apart), made socket writes a fifth of an SSE request's CPU. Under load a
  // turn holds more reads, so more events share a write; an event waits for one turn at most.
  private unsent = "";
  private passthrough: boolean;
  private readonly upstreamModel: string;
  private readonly aliasModel: string;

  constructor(
    private readonly res: ServerResponse,
    private readonly d: Dispatched,
    private readonly endpoint: Endpoint,
    private readonly alias: string,
    private readonly tally: Tally,
  ) {
    this.passthrough = d.adapter.passthroughChunks === true;
    this.upstreamModel = `"model":${JSON.stringify(d.deployment.upstreamModel)}`;
    this.aliasModel = `"model":${JSON.stringify(alias)}`;
  }

  /** One read's events; true at [DONE], whose batch's events then leave with the end. */
  batch(batch: string[]): boolean {
    // Events still unsent mean a flush is already due this turn.
    const flushDue = this.unsent !== "";
    for (const data of batch) {
      if (data === "[DONE]") return true;
      if (this.passthrough && data.includes(this.upstreamModel)) {
        this.tally.text(data);
        this.unsent += `data: ${data.replace(this.upstreamModel, this.aliasModel)}\n\n`;
        continue;
      }
      this.passthrough = false; // an unexpected shape: from here on, parse every chunk
      let chunk: Body;
      try {
        chunk = JSON.parse(data) as Body;
      } catch {
        continue; // a keep-alive or a malformed line: nothing to relay
      }
      const mapped = this.d.adapter.chunk(this.endpoint, chunk);
      if (!mapped) continue;
      this.tally.parsed(mapped);
      this.unsent += `data: ${JSON.stringify({ ...mapped, model: this.alias })}\n\n`;
    }
    if (this.unsent && !flushDue) setImmediate(flushUnsent, this);
    return false;
  }

  flush() {
    if (this.unsent && !this.res.writableEnded && !this.res.destroyed) this.res.write(this.unsent);
    this.unsent = "";
  }

  /** Ends the client's stream with `last` after what is still unsent. */
  end(last: string) {
    this.res.end(this.unsent + last);
    this.unsent = "";
  }
}

function flushUnsent(relay: SseRelay) {
  relay.flush();
}

export async function relayStream(ctx: RequestContext, res: ServerResponse, d: Dispatched, endpoint: Endpoint, alias: string, clientGone: () => boolean, meter: RequestMeter) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
  const tally = new Tally(ctx.started);
  const relay = new SseRelay(res, d, endpoint, alias, tally);
  try {
    await readBatches(d.response.body, relay);
    if (!tally.sawFinish && !tally.usage) throw new Error("The upstream stream ended before the answer finished.");
    relay.end("data: [DONE]\n\n");
    meter.record({ status: "ok", httpStatus: 200, ttftMs: tally.ttftMs ?? null }, d, tally.usage, tally, () => ({ model: alias, streamed: true, content: tally.completionText(), usage: tally.usage ?? null }));
  } catch (err) {
    if (clientGone()) {
      meter.record({ status: "client_closed", httpStatus: 499, errorType: "client_closed", ttftMs: tally.ttftMs ?? null }, d, tally.usage, tally, () => ({ model: alias, streamed: true, content: tally.completionText(), cut: "client_closed" }));
      return;
    }
    // The upstream died mid-stream: tell the client in the stream (the status line is long gone).
    const message = `The upstream connection was lost mid-stream: ${(err as Error).message}`;
    const payload = errorPayload(message, "api_error", null, "bad_gateway:upstream_stream", ctx.requestId);
    relay.end(`data: ${JSON.stringify(payload)}\n\n`);
    meter.record({ status: "error", httpStatus: 502, errorType: "upstream_stream", ttftMs: tally.ttftMs ?? null }, d, tally.usage, tally);
  } finally {
    await release(d.response.body);
  }
}
