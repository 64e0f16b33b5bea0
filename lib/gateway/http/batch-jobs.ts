// /v1/batch/jobs: create a batch from input files or inline requests (every line checked first),
// list, get with counts and grouped errors, cancel. The batch worker runs the lines.
import { batchDetail, cancelBatch, createBatch, deleteBatch, getBatch, listBatches, listBatchesQuery } from "@/lib/batch/jobs";
import { readJson, sendJson } from "@/lib/http/json";
import { withApiKey } from "./with-api-key";

// POST /v1/batch/jobs: queue a batch under the calling key
export const createBatchRoute = withApiKey(async (ctx, req, res) => {
  const job = await createBatch(ctx.gw.db, ctx.gw.files, { workspaceId: ctx.key.workspaceId, keyId: ctx.key.id }, await readJson(req, 100 * 1024 * 1024));
  sendJson(res, 200, await batchDetail(ctx.gw.db, job));
});

// GET /v1/batch/jobs: newest first, filtered by status, model, metadata, created_after
export const listBatchesRoute = withApiKey(async (ctx, req, res) => {
  const params = new URL(req.url ?? "/", "http://bora").searchParams;
  const status = params.getAll("status").flatMap((s) => s.split(","));
  let metadata: unknown;
  try {
    metadata = params.get("metadata") ? JSON.parse(params.get("metadata")!) : undefined;
  } catch {
    metadata = undefined;
  }
  const query = listBatchesQuery.parse({ ...Object.fromEntries(params), status: status.length ? status : undefined, metadata });
  sendJson(res, 200, await listBatches(ctx.gw.db, ctx.key.workspaceId, query));
});

// GET /v1/batch/jobs/{id}
export const getBatchRoute = withApiKey(async (ctx, _req, res, params) => {
  sendJson(res, 200, await batchDetail(ctx.gw.db, await getBatch(ctx.gw.db, ctx.key.workspaceId, params.id!)));
});

// POST /v1/batch/jobs/{id}/cancel: lines already done are kept in the results
export const cancelBatchRoute = withApiKey(async (ctx, _req, res, params) => {
  sendJson(res, 200, await batchDetail(ctx.gw.db, await cancelBatch(ctx.gw.db, ctx.key.workspaceId, params.id!)));
});

// DELETE /v1/batch/jobs/{id}: forget an ended batch (its result files stay)
export const deleteBatchRoute = withApiKey(async (ctx, _req, res, params) => {
  sendJson(res, 200, await deleteBatch(ctx.gw.db, ctx.key.workspaceId, params.id!));
});
