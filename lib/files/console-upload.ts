// POST /api/console/files?workspace=<slug>: the console's uploads (the fine-tuning wizard), on
// Bora's own listener so the file streams into the store as with /v1/files, under the signed-in
// member's session and role instead of a key.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gateway } from "@/lib/gateway/gateway";
import { sendJson } from "@/lib/http/json";
import { assertSameOrigin, sessionUser } from "@/lib/playground/session";
import { authorize } from "@/lib/services/authorize";
import { fileView, uploadFile } from "./files";

export async function consoleUpload(gw: Gateway, req: IncomingMessage, res: ServerResponse): Promise<void> {
  assertSameOrigin(req);
  const user = await sessionUser(req, gw.db);
  const slug = new URL(req.url ?? "/", "http://bora").searchParams.get("workspace") ?? "";
  const ctx = await authorize(gw.db, { user, via: "console" }, { slug }, "jobs:manage");
  const row = await uploadFile(gw.db, gw.files, { workspaceId: ctx.workspace.id, userId: user.id }, req, gw.maxFileBytes);
  sendJson(res, 200, fileView(row));
}
