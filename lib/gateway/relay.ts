// Sends a validated request upstream (with fallback) and relays the answer to the client,
// whole or streamed, in Mistral's shapes and under the alias the client asked for. Every path
// ends in exactly one usage event: success, upstream error, upstream death mid-stream, or a
// client that went away (then the tokens it was sent are counted).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NewUsageEvent } from "@/db/schema";
import { BoraError, isBoraError } from "@/lib/errors";
import { errorBody, sendError, sendJson } from "@/lib/http/json";
import { dispatch, upstreamMessage, type Dispatched } from "./dispatch";
import type { Gateway } from "./gateway";
import type { KeyPrincipal } from "./keys";
import type { Body, Endpoint } from "./providers/types";
import { costNanos, type Resolved } from "./resolve-model";
import { sseData } from "./sse";
import { countTokens } from "./tokens";

export type RequestContext = { gw: Gateway; key: KeyPrincipal; requestId: string; started: number; origin: "api" | "playground" | "batch" };

type Usage = { prompt_tokens?: number; completion_tokens?: number };

export async function relay(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: Endpoint,
  body: Body,
  resolved: Resolved,
  estimatePrompt: () => number,
  /** A last change to a whole (non-streamed) answer, such as base64 embeddings. */
  finish: (body: Body) => Body = (b) => b,
): Promise<void> {
  const controller = new AbortController();
  let clientGone = false;
  res.on("close", () => {
    if (!res.writableFinished) {
      clientGone = true;
      controller.abort();
    }
  });
  const { model } = resolved;
  const meter = (fields: Partial<NewUsageEvent> & { status: string; httpStatus: number }, d?: Dispatched, usage?: Usage, completionText = "") => {
    const promptTokens = usage?.prompt_tokens ?? safeCount(estimatePrompt);
    const completionTokens = usage?.completion_tokens ?? (completionText ? countTokens(d?.deployment.upstreamModel ?? model.alias, completionText) : 0);
    ctx.gw.meter.record({
      workspaceId: ctx.key.workspaceId,
      apiKeyId: ctx.key.id,
      model: model.alias,
      deploymentId: d?.deployment.id ?? null,
      providerId: d?.deployment.provider.id ?? null,
      endpoint,
      promptTokens,
      completionTokens,
      costNanos: costNanos(model, promptTokens, completionTokens),
      latencyMs: Math.round(performance.now() - ctx.started),
      requestId: ctx.requestId,
      origin: ctx.origin,
      ...fields,
    });
  };

  ctx.gw.inFlight++;
  let dispatched: Dispatched | undefined;
  try {
    dispatched = await dispatch(resolved.deployments, endpoint, body, controller.signal, ctx.gw.breaker);
    const { response, adapter } = dispatched;
    res.setHeader("x-bora-model", model.alias);
    if (response.statusCode >= 400) {
      // The upstream refused the request itself (4xx other than 429): say why, with its status.
      const message = upstreamMessage(await response.body.text());
      const err = new BoraError(response.statusCode === 422 ? "unprocessable:upstream" : response.statusCode === 404 ? "not_found:upstream" : "bad_request:upstream", `The upstream provider refused the request: ${message}`);
      sendJson(res, err.status, errorBody(err, ctx.requestId).body);
      meter({ status: "error", httpStatus: err.status, errorType: `upstream_${response.statusCode}` }, dispatched);
      return;
    }
    if (!body.stream) {
      const upstreamBody = JSON.parse(await response.body.text()) as Body;
      const mapped: Body = finish({ ...adapter.response(endpoint, upstreamBody), model: model.alias });
      sendJson(res, 200, mapped);
      meter({ status: "ok", httpStatus: 200 }, dispatched, mapped.usage as Usage | undefined);
      return;
    }
    await relayStream(ctx, res, dispatched, endpoint, model.alias, () => clientGone, meter);
  } catch (err) {
    if (clientGone) {
      meter({ status: "client_closed", httpStatus: 499, errorType: "client_closed" }, dispatched);
      return;
    }
    const status = isBoraError(err) ? err.status : 502;
    meter({ status: "error", httpStatus: status, errorType: isBoraError(err) ? err.code : "upstream_error" }, dispatched);
    sendError(res, isBoraError(err) ? err : new BoraError("bad_gateway:upstream", "The upstream answer could not be read."), ctx.requestId);
  } finally {
    ctx.gw.inFlight--;
  }
}

type MeterFn = (fields: Partial<NewUsageEvent> & { status: string; httpStatus: number }, d?: Dispatched, usage?: Usage, completionText?: string) => void;

async function relayStream(ctx: RequestContext, res: ServerResponse, d: Dispatched, endpoint: Endpoint, alias: string, clientGone: () => boolean, meter: MeterFn) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
  let usage: Usage | undefined;
  let text = "";
  let ttftMs: number | undefined;
  let sawFinish = false;
  try {
    for await (const data of sseData(d.response.body)) {
      if (data === "[DONE]") break;
      let chunk: Body;
      try {
        chunk = JSON.parse(data) as Body;
      } catch {
        continue; // a keep-alive or a malformed line: nothing to relay
      }
      const mapped = d.adapter.chunk(endpoint, chunk);
      if (!mapped) continue;
      if (mapped.usage) usage = mapped.usage as Usage;
      for (const choice of (mapped.choices as { delta?: { content?: unknown; tool_calls?: { function?: { arguments?: string } }[] }; finish_reason?: unknown }[] | undefined) ?? []) {
        const piece = typeof choice.delta?.content === "string" ? choice.delta.content : "";
        const args = choice.delta?.tool_calls?.map((t) => t.function?.arguments ?? "").join("") ?? "";
        text += piece + args;
        if (ttftMs === undefined && (piece || args)) ttftMs = Math.round(performance.now() - ctx.started);
        if (choice.finish_reason) sawFinish = true;
      }
      res.write(`data: ${JSON.stringify({ ...mapped, model: alias })}\n\n`);
    }
    if (!sawFinish && !usage) throw new Error("The upstream stream ended before the answer finished.");
    res.end("data: [DONE]\n\n");
    meter({ status: "ok", httpStatus: 200, ttftMs: ttftMs ?? null }, d, usage, text);
  } catch (err) {
    if (clientGone()) {
      meter({ status: "client_closed", httpStatus: 499, errorType: "client_closed", ttftMs: ttftMs ?? null }, d, usage, text);
      return;
    }
    // The upstream died mid-stream: tell the client in the stream (the status line is long gone).
    const message = `The upstream connection was lost mid-stream: ${(err as Error).message}`;
    const payload = { object: "error", message, type: "api_error", code: "bad_gateway:upstream_stream", request_id: ctx.requestId, error: { message, type: "api_error", code: "bad_gateway:upstream_stream" } };
    res.end(`data: ${JSON.stringify(payload)}\n\n`);
    meter({ status: "error", httpStatus: 502, errorType: "upstream_stream", ttftMs: ttftMs ?? null }, d, usage, text);
  }
}

function safeCount(estimate: () => number): number {
  try {
    return estimate();
  } catch {
    return 0;
  }
}
