// Prometheus metrics of this process. Counters move where the thing happens: usage in the meter
// (so they match usage events one for one), limit refusals in Limits, upstream failures in
// dispatch. Gauges that need a look elsewhere (queues, circuits, the meter's backlog) are read on
// scrape. Label children are cached in nested maps, so the hot path does a few Map lookups and
// allocates nothing once a combination has been seen. Kept on globalThis like lib/events.ts.
import client from "prom-client";
import type { NewUsageEvent } from "@/db/schema";

// Caches labels(a, b, c) by value; fixed arity keeps rest arguments (an array per call) out.
function cache3<T>(make: (a: string, b: string, c: string) => T) {
  const root = new Map<string, Map<string, Map<string, T>>>();
  return (a: string, b: string, c: string): T => {
    let l1 = root.get(a);
    if (!l1) root.set(a, (l1 = new Map()));
    let l2 = l1.get(b);
    if (!l2) l1.set(b, (l2 = new Map()));
    let child = l2.get(c);
    if (child === undefined) l2.set(c, (child = make(a, b, c)));
    return child;
  };
}

function cache2<T>(make: (a: string, b: string) => T) {
  const c = cache3((a, b) => make(a, b));
  return (a: string, b: string): T => c(a, b, "");
}

function cache1<T>(make: (a: string) => T) {
  const c = cache3((a) => make(a));
  return (a: string): T => c(a, "", "");
}

function build() {
  const registry = new client.Registry();
  const requests = new client.Counter({ name: "bora_requests_total", help: "Requests that reached a model (one per usage event), by endpoint, model alias and usage status (ok, error, client_closed).", labelNames: ["endpoint", "model", "status"], registers: [registry] });
  const duration = new client.Histogram({ name: "bora_request_duration_seconds", help: "Time from the request's arrival to its last byte, by endpoint, model and status.", labelNames: ["endpoint", "model", "status"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [registry] });
  const ttft = new client.Histogram({ name: "bora_time_to_first_token_seconds", help: "Time to the first streamed token, by endpoint and model (streams only).", labelNames: ["endpoint", "model"], buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  const promptTokens = new client.Counter({ name: "bora_prompt_tokens_total", help: "Tokens in (prompt), by model, as metered.", labelNames: ["model"], registers: [registry] });
  const completionTokens = new client.Counter({ name: "bora_completion_tokens_total", help: "Tokens out (completion), by model, as metered.", labelNames: ["model"], registers: [registry] });
  const refusals = new client.Counter({ name: "bora_limit_refusals_total", help: "Requests refused by a limit (429), by limit: the part after rate_limit: in the error code.", labelNames: ["limit"], registers: [registry] });
  const upstreamErrors = new client.Counter({ name: "bora_upstream_errors_total", help: "Failed upstream attempts (connect, timeout, 429, 5xx), by provider and kind; retries and fallbacks each count.", labelNames: ["provider", "kind"], registers: [registry] });
  const circuit = new client.Gauge({ name: "bora_circuit_breaker_state", help: "Circuit of each deployment that has failed: 0 closed, 1 open, 2 half-open (a trial in flight).", labelNames: ["provider", "deployment"], registers: [registry] });
  const batchJobs = new client.Gauge({ name: "bora_batch_jobs", help: "Batch jobs not yet finished, by status (read on scrape).", labelNames: ["status"], registers: [registry] });
  const batchLines = new client.Gauge({ name: "bora_batch_pending_lines", help: "Lines of unfinished batch jobs still waiting to run (read on scrape).", registers: [registry] });
  const batchAge = new client.Gauge({ name: "bora_batch_jobs_oldest_seconds", help: "Age of the oldest unfinished batch job, by status (read on scrape): a queue that is not drained shows here.", labelNames: ["status"], registers: [registry] });
  const fineTuningAge = new client.Gauge({ name: "bora_fine_tuning_jobs_oldest_seconds", help: "Age of the oldest unfinished fine-tuning job, by status (read on scrape).", labelNames: ["status"], registers: [registry] });
  const fineTuningJobs = new client.Gauge({ name: "bora_fine_tuning_jobs", help: "Fine-tuning jobs not yet finished, by status (read on scrape).", labelNames: ["status"], registers: [registry] });
  const meterLag = new client.Gauge({ name: "bora_metering_flush_lag_seconds", help: "Age of the oldest usage event not yet written to the database (0 when none waits).", registers: [registry] });
  const meterPending = new client.Gauge({ name: "bora_metering_pending_events", help: "Usage events buffered in memory, not yet written.", registers: [registry] });
  const errorAnswers = new client.Counter({ name: "bora_error_answers_total", help: "/v1 requests answered with an error body (bad key, bad input, not allowed, limits, upstream failures), by HTTP status and error code; streams that fail after their first byte are counted by bora_requests_total instead.", labelNames: ["status", "code"], registers: [registry] });
  const refreshErrors = new client.Counter({ name: "bora_metrics_refresh_errors_total", help: "Scrapes whose gauges read on scrape (queues) could not be refreshed; they then show their last values.", registers: [registry] });
  return {
    registry,
    refreshErrors,
    requests: cache3((e, m, s) => requests.labels(e, m, s)),
    duration: cache3((e, m, s) => duration.labels(e, m, s)),
    ttft: cache2((e, m) => ttft.labels(e, m)),
    promptTokens: cache1((m) => promptTokens.labels(m)),
    completionTokens: cache1((m) => completionTokens.labels(m)),
    refusals: cache1((l) => refusals.labels(l)),
    upstreamErrors: cache2((p, k) => upstreamErrors.labels(p, k)),
    errorAnswers: cache2((st, c) => errorAnswers.labels(st, c)),
    gauges: { circuit, batchJobs, batchAge, batchLines, fineTuningJobs, fineTuningAge, meterLag, meterPending },
  };
}

export type Metrics = ReturnType<typeof build>;

const key = Symbol.for("bora.metrics");
const holder = globalThis as { [key]?: Metrics };

export function metrics(): Metrics {
  return (holder[key] ??= build());
}

/** Called once for each usage event, where the meter records it. */
export function observeUsage(e: NewUsageEvent): void {
  const m = metrics();
  const endpoint = e.endpoint;
  m.requests(endpoint, e.model, e.status).inc();
  m.duration(endpoint, e.model, e.status).observe((e.latencyMs ?? 0) / 1000);
  if (e.ttftMs !== null && e.ttftMs !== undefined) m.ttft(endpoint, e.model).observe(e.ttftMs / 1000);
  if (e.promptTokens) m.promptTokens(e.model).inc(e.promptTokens);
  if (e.completionTokens) m.completionTokens(e.model).inc(e.completionTokens);
}

/** A request refused by one of our limits; `code` is the error's code (rate_limit:…). */
export function observeRefusal(code: string): void {
  metrics().refusals(code.startsWith("rate_limit:") ? code.slice(11) : code).inc();
}

/** A /v1 request answered with an error body; status and code as the client sees them. */
export function observeErrorAnswer(status: number, code: string): void {
  metrics().errorAnswers(String(status), code).inc();
}

export function observeUpstreamError(provider: string, kind: string): void {
  metrics().upstreamErrors(provider, kind).inc();
}
