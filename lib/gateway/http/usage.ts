// GET /v1/usage: the key's workspace's usage over a range, for keys with the "usage:read" scope.
import { BoraError } from "@/lib/errors";
import { sendJson } from "@/lib/http/json";
import { parseUsageQuery, usageReport } from "@/lib/services/usage-api";
import { withApiKey } from "./with-api-key";

export const getUsage = withApiKey(async (ctx, req, res) => {
  if (!ctx.key.scopes?.includes("usage:read")) throw new BoraError("forbidden:scope", 'This key may not read usage: create one with the "usage:read" scope (bora keys create --scopes usage:read).');
  const params = parseUsageQuery(new URL(req.url ?? "/", "http://localhost").searchParams);
  sendJson(res, 200, await usageReport(ctx.gw.db, ctx.key.workspaceId, params));
});
