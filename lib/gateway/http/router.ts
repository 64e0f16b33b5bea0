// /v1/*: the Mistral-compatible API, on our own node:http listener.
import type { IncomingMessage, ServerResponse } from "node:http";
import { BoraError } from "@/lib/errors";
import type { Gateway } from "../gateway";
import { chatCompletions } from "./chat-completions";
import { embeddings } from "./embeddings";
import { fimCompletions } from "./fim";
import { getModel, listModels } from "./models";
import { tokenize } from "./tokenize";
import type { V1Route } from "./with-api-key";

const exact: Record<string, Partial<Record<string, V1Route>>> = {
  "/v1/chat/completions": { POST: chatCompletions },
  "/v1/fim/completions": { POST: fimCompletions },
  "/v1/embeddings": { POST: embeddings },
  "/v1/models": { GET: listModels },
  "/v1/tokenize": { POST: tokenize },
};

export async function handleV1(gw: Gateway, req: IncomingMessage, res: ServerResponse, pathname: string, requestId: string): Promise<void> {
  const method = req.method ?? "GET";
  const routes = exact[pathname];
  if (routes) {
    const route = routes[method];
    if (!route) throw new BoraError("bad_request:method", `${method} is not allowed on ${pathname}; use ${Object.keys(routes).join(" or ")}.`);
    return route(gw, req, res, requestId, {});
  }
  const model = /^\/v1\/models\/([^/]+)$/.exec(pathname);
  if (model && method === "GET") return getModel(gw, req, res, requestId, { id: decodeURIComponent(model[1]!) });
  throw new BoraError("not_found:route", `No endpoint at ${method} ${pathname}.`);
}
