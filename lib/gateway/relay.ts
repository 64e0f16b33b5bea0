// Sends a validated request upstream (with fallback) and relays the answer to the client,
// whole or streamed, in Mistral's shapes and under the alias the client asked for. Every path
// ends in exactly one usage event: success, upstream error, upstream death mid-stream, or a
// client that went away (then the tokens it was sent are counted).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NewUsageEvent } from "@/db/schema";
import { BoraError, isBoraError } from "@/lib/errors";
import { errorBody, sendError, sendJson } from "@/lib/http/json";
import { Cancel } from "./cancel";
import { dispatch, upstreamMessage, type Dispatched } from "./dispatch";
import type { Gateway } from "./gateway";
import type { KeyPrincipal } from "./keys";
import type { Lease, LimitRequest } from "./limits";
import type { Body, Endpoint } from "./providers/types";
import { costNanos, type Resolved } from "./resolve-model";
import { relayStream } from "./relay-stream";
import type { PromptTokens } from "./prompt-tokens";
import { countTexts } from "./tokens-off-thread";
import { log } from "@/lib/log";
import { observeErrorAnswer } from "@/lib/metrics/registry";

export type RequestContext = { gw: Gateway; key: KeyPrincipal; requestId: string; started: number; origin: "api" | "playground" | "batch"; batchId?: string };

// What a request without max_tokens is assumed to generate when reserving against token limits;
// settled to the real count afterwards.
const defaultCompletionAllowance = 256;

export type Usage = { prompt_tokens?: number; completion_tokens?: number };

export async function relay(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: Endpoint,
  body: Body,
  resolved: Resolved,
  prompt: PromptTokens,
  /** A last change to a whole (non-streamed) answer, such as base64 embeddings. */
  finish?: (body: Body) => Body,
  /** The request's bytes as the client sent them, when `body` is unchanged. */
  text?: string,
): Promise<void> {
  const cancel = new Cancel();
  res.on("close", () => {
    if (!res.writableFinished) cancel.cancel();
  });
  const { model } = resolved;
  // Limits first: a refused request reaches no upstream and writes no usage event.
  const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : defaultCompletionAllowance;
  const charge = new Charge(ctx, model, prompt, endpoint === "embeddings" ? 0 : maxTokens);
  const lease = await ctx.gw.limits.acquire(charge, res);
  const meter = new RequestMeter(ctx, endpoint, body, charge, lease);

  ctx.gw.inFlight++;
  let dispatched: Dispatched | undefined;
  try {
    dispatched = await dispatch(resolved.deployments, endpoint, body, cancel, ctx.gw.breaker, text);
    const { response, adapter } = dispatched;
    res.setHeader("x-bora-model", model.alias);
    if (response.statusCode >= 400) {
      // The upstream refused the request itself (4xx other than 429): say why, with its status.
      const message = upstreamMessage(await response.body.text());
      const err = new BoraError(response.statusCode === 422 ? "unprocessable:upstream" : response.statusCode === 404 ? "not_found:upstream" : "bad_request:upstream", `The upstream provider refused the request: ${message}`);
      sendJson(res, err.status, errorBody(err, ctx.requestId).body);
      meter.record({ status: "error", httpStatus: err.status, errorType: `upstream_${response.statusCode}` }, dispatched);
      return;
    }
    if (!body.stream) {
      const text = await response.body.text();
      const upstreamBody = JSON.parse(text) as Body;
      const upstreamModel = `"model":${JSON.stringify(dispatched.deployment.upstreamModel)}`;
      if (adapter.passthroughChunks && !finish && text.includes(upstreamModel)) {
        // Already Mistral's shape: send the upstream's bytes with the alias swapped in.
        const payload = text.replace(upstreamModel, `"model":${JSON.stringify(model.alias)}`);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
        res.end(payload);
      } else {
        sendJson(res, 200, (finish ?? ((b: Body) => b))({ ...adapter.response(endpoint, upstreamBody), model: model.alias }));
      }
      meter.record({ status: "ok", httpStatus: 200 }, dispatched, upstreamBody.usage as Usage | undefined, undefined, () => ({ ...upstreamBody, model: model.alias }));
      return;
    }
    await relayStream(ctx, res, dispatched, endpoint, model.alias, () => cancel.cancelled, meter);
  } catch (err) {
    if (cancel.cancelled) {
      meter.record({ status: "client_closed", httpStatus: 499, errorType: "client_closed" }, dispatched);
      return;
    }
    const status = isBoraError(err) ? err.status : 502;
    meter.record({ status: "error", httpStatus: status, errorType: isBoraError(err) ? err.code : "upstream_error" }, dispatched);
    const sent = sendError(res, isBoraError(err) ? err : new BoraError("bad_gateway:upstream", "The upstream answer could not be read."), ctx.requestId);
    if (sent) observeErrorAnswer(sent.status, sent.code);
  } finally {
    ctx.gw.inFlight--;
  }
}

/**
 * What the limits ask of a request (its key, model and lane, its tokens and cost at most), and
 * its price once metered. Methods, not closures made per request: tsx (keepNames) renames each
 * named closure with a defineProperty call, which costs more CPU than the closure.
 */
class Charge implements LimitRequest {
  readonly key: KeyPrincipal;
  readonly model: string;
  readonly lane: "interactive" | "batch";
  // Batch lines pay the model's batch price (a share of its list price).
  private readonly priceFactor: number;
  // Each at most once: the estimate for the limits before the call, the count for metering
  // when no usage came.
  private estimated: number | undefined;
  private counted: Promise<number> | undefined;

  constructor(
    ctx: RequestContext,
    private readonly served: Resolved["model"],
    private readonly prompt: PromptTokens,
    private readonly completionAllowance: number,
  ) {
    this.key = ctx.key;
    this.model = served.alias;
    this.lane = ctx.origin === "batch" ? "batch" : "interactive";
    this.priceFactor = ctx.origin === "batch" ? served.batchPriceFactor : 1;
  }

  promptEstimate(): number {
    return (this.estimated ??= safeCount(() => this.prompt.estimate()));
  }

  promptCount(): Promise<number> {
    return (this.counted ??= this.prompt.count().catch(countFailed));
  }

  price(prompt: number, completion: number): number {
    return Math.round(costNanos(this.served, prompt, completion) * this.priceFactor);
  }

  estimate(): number {
    return this.promptEstimate() + this.completionAllowance;
  }

  estimateCost(): number {
    return this.price(this.promptEstimate(), this.completionAllowance);
  }
}

/** Writes a request's one usage event and settles its limits to what it used. */
export class RequestMeter {
  constructor(
    private readonly ctx: RequestContext,
    private readonly endpoint: Endpoint,
    private readonly body: Body,
    private readonly charge: Charge,
    private readonly lease: Lease,
  ) {}

  /**
   * `completion`: the answer's text, counted only when the upstream's own usage is missing (a cut
   * stream). Counting may run on another thread: the event is then written, and the limits
   * settled, once it is done; the meter waits for it on shutdown.
   */
  record(fields: Partial<NewUsageEvent> & { status: string; httpStatus: number }, d?: Dispatched, usage?: Usage, completion?: { completionText(): string }, response?: () => unknown): void {
    const ended = { createdAt: new Date(), latencyMs: Math.round(performance.now() - this.ctx.started) };
    const prompt = usage?.prompt_tokens;
    const completionTokens = usage?.completion_tokens ?? (completion ? undefined : 0);
    if (prompt !== undefined && completionTokens !== undefined) return this.write(fields, ended, d, prompt, completionTokens, response);
    const text = completion?.completionText() ?? "";
    const counted = Promise.all([
      prompt ?? this.charge.promptCount(),
      completionTokens ?? countTexts(d?.deployment.upstreamModel ?? this.charge.model, [text]).catch(countFailed),
    ]).then(([p, c]) => this.write(fields, ended, d, p, c, response));
    this.ctx.gw.meter.waitFor(counted);
  }

  private write(fields: Partial<NewUsageEvent> & { status: string; httpStatus: number }, ended: { createdAt: Date; latencyMs: number }, d: Dispatched | undefined, promptTokens: number, completionTokens: number, response?: () => unknown): void {
    const { ctx, charge } = this;
    const cost = charge.price(promptTokens, completionTokens);
    this.lease.settle(promptTokens + completionTokens, cost);
    ctx.gw.meter.record({
      createdAt: ended.createdAt, // stamped here rather than copied into a new event by record()
      workspaceId: ctx.key.workspaceId,
      apiKeyId: ctx.key.id,
      model: charge.model,
      deploymentId: d?.deployment.id ?? null,
      providerId: d?.deployment.provider.id ?? null,
      endpoint: this.endpoint,
      promptTokens,
      completionTokens,
      costNanos: cost,
      latencyMs: ended.latencyMs,
      requestId: ctx.requestId,
      origin: ctx.origin,
      batchId: ctx.batchId ?? null,
      ...fields,
    }, logFor(ctx, this.body, response));
  }
}

// Bodies are kept only for workspaces that turned request logging on, for their retention.
function logFor(ctx: RequestContext, body: Body, response?: () => unknown) {
  const days = ctx.key.requestLogDays;
  if (!days) return undefined;
  return { workspaceId: ctx.key.workspaceId, requestId: ctx.requestId, requestBody: body, responseBody: response?.() ?? null, expiresAt: new Date(Date.now() + days * 86_400_000) };
}

// A count that failed (the counting thread could not start) meters no tokens rather than no event.
function countFailed(err: unknown): number {
  log.error("counting tokens failed", { err });
  return 0;
}

function safeCount(estimate: () => number): number {
  try {
    return estimate();
  } catch {
    return 0;
  }
}
