// /v1/*: the Mistral-compatible API, on our own node:http listener.
import type { IncomingMessage, ServerResponse } from "node:http";
import { BoraError } from "@/lib/errors";
import type { Gateway } from "../gateway";
import { cancelBatchRoute, createBatchRoute, deleteBatchRoute, getBatchRoute, listBatchesRoute } from "./batch-jobs";
import { chatCompletions } from "./chat-completions";
import { embeddings } from "./embeddings";
import { deleteFileRoute, fileContentRoute, fileUrlRoute, getFileRoute, listFilesRoute, uploadFileRoute } from "./files";
import { archiveModelRoute, cancelJobRoute, createJobRoute, getJobRoute, listJobsRoute, renameModelRoute, startJobRoute, unarchiveModelRoute } from "./fine-tuning";
import { fimCompletions } from "./fim";
import { getModel, listModels } from "./models";
import { tokenize } from "./tokenize";
import { getUsage } from "./usage";
import type { V1Route } from "./with-api-key";

type Methods = Partial<Record<string, V1Route>>;

const exact: Record<string, Methods> = {
  "/v1/chat/completions": { POST: chatCompletions },
  "/v1/fim/completions": { POST: fimCompletions },
  "/v1/embeddings": { POST: embeddings },
  "/v1/models": { GET: listModels },
  "/v1/tokenize": { POST: tokenize },
  "/v1/usage": { GET: getUsage },
  "/v1/files": { POST: uploadFileRoute, GET: listFilesRoute },
  "/v1/fine_tuning/jobs": { POST: createJobRoute, GET: listJobsRoute },
  "/v1/batch/jobs": { POST: createBatchRoute, GET: listBatchesRoute },
};

// Paths with one id in them; the id reaches the handler as `params.id`.
const patterns: [RegExp, Methods][] = [
  [/^\/v1\/models\/([^/]+)$/, { GET: getModel }],
  [/^\/v1\/files\/([^/]+)$/, { GET: getFileRoute, DELETE: deleteFileRoute }],
  [/^\/v1\/files\/([^/]+)\/content$/, { GET: fileContentRoute }],
  [/^\/v1\/files\/([^/]+)\/url$/, { GET: fileUrlRoute }],
  [/^\/v1\/fine_tuning\/jobs\/([^/]+)$/, { GET: getJobRoute }],
  [/^\/v1\/batch\/jobs\/([^/]+)$/, { GET: getBatchRoute, DELETE: deleteBatchRoute }],
  [/^\/v1\/batch\/jobs\/([^/]+)\/cancel$/, { POST: cancelBatchRoute }],
  [/^\/v1\/fine_tuning\/jobs\/([^/]+)\/cancel$/, { POST: cancelJobRoute }],
  [/^\/v1\/fine_tuning\/jobs\/([^/]+)\/start$/, { POST: startJobRoute }],
  [/^\/v1\/fine_tuning\/models\/([^/]+)$/, { PATCH: renameModelRoute }],
  [/^\/v1\/fine_tuning\/models\/([^/]+)\/archive$/, { POST: archiveModelRoute, DELETE: unarchiveModelRoute }],
];

function pick(routes: Methods, method: string, pathname: string): V1Route {
  const route = routes[method];
  if (!route) throw new BoraError("bad_request:method", `${method} is not allowed on ${pathname}; use ${Object.keys(routes).join(" or ")}.`);
  return route;
}

export async function handleV1(gw: Gateway, req: IncomingMessage, res: ServerResponse, pathname: string, requestId: string): Promise<void> {
  const method = req.method ?? "GET";
  const routes = exact[pathname];
  if (routes) return pick(routes, method, pathname)(gw, req, res, requestId, {});
  for (const [pattern, methods] of patterns) {
    const match = pattern.exec(pathname);
    if (match) return pick(methods, method, pathname)(gw, req, res, requestId, { id: decodeURIComponent(match[1]!) });
  }
  throw new BoraError("not_found:route", `No endpoint at ${method} ${pathname}.`);
}
