// /api/manage/v1/*: the management API on node:http, authenticated by admin tokens.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "@/lib/db/client";
import { BoraError } from "@/lib/errors";
import { readJson, sendError, sendJson } from "@/lib/http/json";
import { userForAdminToken } from "@/lib/services/admin-tokens";
import { operations } from "./operations";
import { manageBase, matchOperation } from "./routes";

export { manageBase };

export async function handleManage(req: IncomingMessage, res: ServerResponse, pathname: string, requestId: string): Promise<void> {
  try {
    const db = await getDb();
    const header = req.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    const user = await userForAdminToken(db, token);
    const match = matchOperation(req.method ?? "GET", pathname.slice(manageBase.length));
    if (!match) throw new BoraError("not_found:route", `No management operation at ${req.method} ${pathname}.`);
    // GET operations take their options from the query string.
    const body = req.method === "GET" ? Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams) : await readJson(req);
    const result = await operations[match.name].run(db, { user, via: "api" }, body, match.params);
    sendJson(res, req.method === "POST" ? 201 : 200, { data: result });
  } catch (err) {
    sendError(res, err, requestId);
  }
}
