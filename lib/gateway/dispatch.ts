// Sends a request to an alias's deployments in order. Connect errors, timeouts, 429 and 5xx
// before the first byte move on to the next deployment; when every one failed that way, one
// more round follows after a backoff (or the upstream's Retry-After, up to 2 s). Deployments
// whose circuit is open are skipped while another can be tried.
import { BoraError, isBoraError } from "@/lib/errors";
import type { CatalogDeployment } from "./catalog";
import type { CircuitBreaker } from "./circuit-breaker";
import { adapterFor } from "./providers";
import type { Body, Endpoint, ProviderAdapter } from "./providers/types";
import { localEngine } from "@/lib/engine";
import { observeUpstreamError } from "@/lib/metrics/registry";
import { upstreamSpan } from "@/lib/tracing";
import type { Cancel } from "./cancel";
import { RequestTimeout } from "@/lib/http/client";
import { callUpstream, type UpstreamAnswer } from "./upstream";

export type Dispatched = { deployment: CatalogDeployment; adapter: ProviderAdapter; response: UpstreamAnswer };

type Failure = { kind: "connect" | "timeout" | "status"; status?: number; retryAfter?: number; message: string };

const rounds = 2;
const backoffMs = 250;
const maxRetryAfterMs = 2_000;

export async function dispatch(deployments: CatalogDeployment[], endpoint: Endpoint, body: Body, cancel: Cancel, breaker: CircuitBreaker, text?: string): Promise<Dispatched> {
  if (deployments.length === 0) throw new BoraError("unavailable:model", "This model has no deployment to serve it.");
  let last: Failure | undefined;
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await sleep(Math.min(maxRetryAfterMs, last?.retryAfter ? last.retryAfter * 1000 : backoffMs), cancel);
    const allowed = deployments.filter((d) => breaker.allow(d.id));
    for (const deployment of allowed.length ? allowed : deployments) {
      const adapter = adapterFor(deployment.provider.kind);
      const upstream = adapter.request(endpoint, body, deployment.upstreamModel, text);
      const local = deployment.provider.kind === "local";
      const span = upstreamSpan(deployment.provider.name, deployment.id, deployment.upstreamModel, local ? `local:${upstream.path}` : deployment.provider.baseUrl + upstream.path);
      try {
        const response = local ? await localEngine().call(endpoint, upstream.body, cancel.signal) : await callUpstream(deployment, upstream, cancel, span?.headers);
        span?.end({ status: response.statusCode });
        if (response.statusCode === 429 || response.statusCode >= 500) {
          const text = await response.body.text().catch(() => "");
          breaker.failure(deployment.id, deployment.provider.name);
          observeUpstreamError(deployment.provider.name, String(response.statusCode));
          last = { kind: "status", status: response.statusCode, retryAfter: Number(response.headers["retry-after"]) || undefined, message: upstreamMessage(text) };
          continue;
        }
        breaker.success(deployment.id);
        return { deployment, adapter, response };
      } catch (err) {
        span?.end({ error: (err as Error).message });
        if (cancel.cancelled || isBoraError(err)) throw err; // a refusal of ours (a full local queue) is final
        breaker.failure(deployment.id, deployment.provider.name);
        const timeout = err instanceof RequestTimeout;
        observeUpstreamError(deployment.provider.name, timeout ? "timeout" : "connect");
        last = { kind: timeout ? "timeout" : "connect", message: (err as Error).message };
      }
    }
  }
  throw toError(last!);
}

function toError(f: Failure): BoraError {
  if (f.status === 429) return new BoraError("rate_limit:upstream", `Every deployment of this model is rate limited upstream: ${f.message}`, { retryAfterSeconds: f.retryAfter ?? 1 });
  if (f.kind === "timeout") return new BoraError("gateway_timeout:upstream", "The upstream provider did not answer in time.");
  return new BoraError("bad_gateway:upstream", `The upstream provider failed: ${f.message}`);
}

export function upstreamMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: { message?: unknown }; detail?: unknown };
    const message = body.message ?? body.error?.message ?? body.detail;
    if (message) return typeof message === "string" ? message : JSON.stringify(message);
  } catch {
    // not JSON
  }
  return text.slice(0, 300) || "no details";
}

function sleep(ms: number, cancel: Cancel) {
  return new Promise<void>((resolve) => {
    const t = setTimeout(() => (stop(), resolve()), ms);
    const stop = cancel.on(() => (clearTimeout(t), resolve()));
  });
}
