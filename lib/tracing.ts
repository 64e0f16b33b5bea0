// OpenTelemetry traces of /v1 requests, on when OTEL_EXPORTER_OTLP_ENDPOINT is set: a server
// span per request (joined to the caller's trace through its `traceparent`), a client span per
// upstream attempt (so retries and fallbacks show), and `traceparent` sent upstream so an
// upstream that traces too (vLLM does) continues the same trace. Spans are made by hand at these
// points, not by auto-instrumentation: that patches every module and costs every request.
// Without the variable nothing is loaded and every function here returns at once.
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";
import type { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

let provider: NodeTracerProvider | undefined;
let tracer: Tracer | undefined;

/** Starts exporting spans over OTLP/HTTP to `endpoint` (its /v1/traces), once per process. */
export async function startTracing(endpoint: string | undefined, attributes: Attributes): Promise<void> {
  if (!endpoint || provider) return;
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, "")}/v1/traces` });
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": process.env.OTEL_SERVICE_NAME ?? "bora", ...attributes }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // Sets the W3C trace-context propagator and the AsyncLocalStorage context manager, so the
  // upstream span finds its request's span without passing it through every call.
  provider.register();
  tracer = provider.getTracer("bora");
}

/** Sends the spans still buffered (on shutdown, and in tests). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
  tracer = undefined;
}

// Ids in paths (files, jobs) would make a span name per object: name by route instead.
const idSegment = /\/(?=[^/]*\d)[^/]{12,}/g;

/** Runs a /v1 request inside its server span; the span ends when the response does. */
export function traceRequest(req: IncomingMessage, res: ServerResponse, pathname: string, requestId: string, run: () => Promise<void>): Promise<void> {
  if (!tracer) return run();
  const parent = propagation.extract(context.active(), req.headers);
  const route = pathname.replace(idSegment, "/{id}");
  const span = tracer.startSpan(`${req.method} ${route}`, { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method ?? "GET", "url.path": pathname, "http.route": route, "bora.request_id": requestId } }, parent);
  res.once("close", () => {
    span.setAttribute("http.response.status_code", res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), run);
}

export function tracingOn(): boolean {
  return tracer !== undefined;
}

/** Adds what the gateway learned (key, model, tokens) to the current request's span. */
export function annotate(attributes: Attributes): void {
  if (tracer) trace.getActiveSpan()?.setAttributes(attributes);
}

export type UpstreamSpan = { headers: Record<string, string>; end: (outcome: { status?: number; error?: string }) => void };

/** A client span for one attempt at an upstream, with the headers that carry it there. */
export function upstreamSpan(provider: string, deployment: string, upstreamModel: string, url: string): UpstreamSpan | undefined {
  if (!tracer) return undefined;
  const span: Span = tracer.startSpan(`upstream ${provider}`, { kind: SpanKind.CLIENT, attributes: { "bora.provider": provider, "bora.deployment": deployment, "bora.upstream_model": upstreamModel, "url.full": url } });
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return {
    headers,
    end({ status, error }) {
      if (status !== undefined) span.setAttribute("http.response.status_code", status);
      if (error || (status !== undefined && (status === 429 || status >= 500))) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
      span.end();
    },
  };
}
