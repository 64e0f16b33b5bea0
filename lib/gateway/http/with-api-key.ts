// The one wrapper every /v1 route goes through: it resolves the API key (401 when missing,
// unknown, revoked or expired) and hands the handler a request context. No route does its own
// auth. A batch worker's line arrives with a signed batch header instead, and runs under the
// batch's key (or its workspace, for batches made in the console) with origin "batch".
import type { IncomingMessage, ServerResponse } from "node:http";
import { batchHeader } from "@/lib/batch/credential";
import { batchPrincipal } from "@/lib/batch/principal";
import type { Gateway } from "../gateway";
import type { RequestContext } from "../relay";

export type V1Handler = (ctx: RequestContext, req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<void>;
export type V1Route = (gw: Gateway, req: IncomingMessage, res: ServerResponse, requestId: string, params: Record<string, string>) => Promise<void>;

export function withApiKey(handler: V1Handler): V1Route {
  return async (gw, req, res, requestId, params) => {
    const started = performance.now();
    const batch = req.headers[batchHeader];
    if (typeof batch === "string") {
      const { key, batchId } = await batchPrincipal(gw, batch);
      return handler({ gw, key, requestId, started, origin: "batch", batchId }, req, res, params);
    }
    const key = await gw.keys.resolve(req.headers.authorization);
    await handler({ gw, key, requestId, started, origin: "api" }, req, res, params);
  };
}
