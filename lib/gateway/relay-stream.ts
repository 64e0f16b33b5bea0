// Relays an upstream SSE stream to the client, chunk by chunk, under the client's alias. For
// adapters whose chunks are already Mistral's (La Plateforme), chunks pass through as text with
// only the model name swapped: parsing and re-serialising every chunk would cost CPU and
// latency on every token. What metering needs (usage, finish, first token) is read on the way.
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { Dispatched } from "./dispatch";
import type { Body, Endpoint } from "./providers/types";
import type { MeterFn, RequestContext, Usage } from "./relay";
import { sseBatches } from "./sse";

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

// Stopping at [DONE] must not destroy the upstream's body: a body destroyed before its 'end' gets
// an AbortError, whose stack trace (mapped through tsx's source maps) cost about a tenth of an
// SSE request's CPU. [DONE] usually comes with the body's last bytes, only its 'end' not yet
// emitted: reading on to the end costs nothing, and the connection goes back to the pool.
function readWithoutDestroying(body: Dispatched["response"]["body"]): AsyncIterable<Buffer | string> {
  return body instanceof Readable ? body.iterator({ destroyOnReturn: false }) : body;
}

/** After the loop: the body's end is read when it has come, or the body is destroyed as before. */
async function release(body: Dispatched["response"]["body"]): Promise<void> {
  if (!(body instanceof Readable) || body.destroyed || body.readableEnded) return;
  body.on("error", () => {}); // nobody reads it any more; destroying it below emits one
  body.resume();
  // 'end' of a body whose last bytes are in comes within two ticks; more than that is more data.
  await new Promise((resolve) => setImmediate(resolve));
  if (!body.readableEnded) body.destroy();
}

export async function relayStream(ctx: RequestContext, res: ServerResponse, d: Dispatched, endpoint: Endpoint, alias: string, clientGone: () => boolean, meter: MeterFn) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
  const tally = new Tally(ctx.started);
  const upstreamModel = `"model":${JSON.stringify(d.deployment.upstreamModel)}`;
  const aliasModel = `"model":${JSON.stringify(alias)}`;
  let passthrough = d.adapter.passthroughChunks === true;
  const completion = () => tally.completionText();
  // The events of one upstream read leave in one socket write and one HTTP chunk; those read
  // with [DONE] go out with the end. A write (or a cork) per event cost a chunk header each, and
  // writev calls were a sixth of an SSE request's CPU.
  let unsent = "";
  try {
    reading: for await (const batch of sseBatches(readWithoutDestroying(d.response.body))) {
      for (const data of batch) {
        if (data === "[DONE]") break reading;
        if (passthrough && data.includes(upstreamModel)) {
          tally.text(data);
          unsent += `data: ${data.replace(upstreamModel, aliasModel)}\n\n`;
          continue;
        }
        passthrough = false; // an unexpected shape: from here on, parse every chunk
        let chunk: Body;
        try {
          chunk = JSON.parse(data) as Body;
        } catch {
          continue; // a keep-alive or a malformed line: nothing to relay
        }
        const mapped = d.adapter.chunk(endpoint, chunk);
        if (!mapped) continue;
        tally.parsed(mapped);
        unsent += `data: ${JSON.stringify({ ...mapped, model: alias })}\n\n`;
      }
      if (unsent) res.write(unsent);
      unsent = "";
    }
    if (!tally.sawFinish && !tally.usage) throw new Error("The upstream stream ended before the answer finished.");
    res.end(`${unsent}data: [DONE]\n\n`);
    meter({ status: "ok", httpStatus: 200, ttftMs: tally.ttftMs ?? null }, d, tally.usage, completion, () => ({ model: alias, streamed: true, content: completion(), usage: tally.usage ?? null }));
  } catch (err) {
    if (clientGone()) {
      meter({ status: "client_closed", httpStatus: 499, errorType: "client_closed", ttftMs: tally.ttftMs ?? null }, d, tally.usage, completion, () => ({ model: alias, streamed: true, content: completion(), cut: "client_closed" }));
      return;
    }
    // The upstream died mid-stream: tell the client in the stream (the status line is long gone).
    const message = `The upstream connection was lost mid-stream: ${(err as Error).message}`;
    const payload = { object: "error", message, type: "api_error", code: "bad_gateway:upstream_stream", request_id: ctx.requestId, error: { message, type: "api_error", code: "bad_gateway:upstream_stream" } };
    res.end(`${unsent}data: ${JSON.stringify(payload)}\n\n`);
    meter({ status: "error", httpStatus: 502, errorType: "upstream_stream", ttftMs: tally.ttftMs ?? null }, d, tally.usage, completion);
  } finally {
    await release(d.response.body);
  }
}
