// /v1/files: upload (multipart, streamed to the store), list, retrieve, delete, download, and
// a signed expiring link to the content. Files belong to the calling key's workspace.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { BoraError } from "@/lib/errors";
import { deleteFile, fileView, getFile, getFileById, listFiles, listFilesQuery, uploadFile } from "@/lib/files/files";
import { signFileUrl, verifyFileUrl } from "@/lib/files/signed-url";
import { sendJson } from "@/lib/http/json";
import type { Gateway } from "../gateway";
import { withApiKey } from "./with-api-key";

// POST /v1/files: store an uploaded file
export const uploadFileRoute = withApiKey(async (ctx, req, res) => {
  const row = await uploadFile(ctx.gw.db, ctx.gw.files, { workspaceId: ctx.key.workspaceId, keyId: ctx.key.id }, req, ctx.gw.maxFileBytes);
  sendJson(res, 200, fileView(row));
});

// GET /v1/files: the workspace's files, newest first, a page at a time
export const listFilesRoute = withApiKey(async (ctx, req, res) => {
  const url = new URL(req.url ?? "/", "http://bora");
  const sampleTypes = url.searchParams.getAll("sample_type").flatMap((s) => s.split(","));
  const query = listFilesQuery.parse({ ...Object.fromEntries(url.searchParams), sample_type: sampleTypes.length ? sampleTypes : undefined });
  sendJson(res, 200, await listFiles(ctx.gw.db, ctx.key.workspaceId, query));
});

// GET /v1/files/{id}
export const getFileRoute = withApiKey(async (ctx, _req, res, params) => {
  sendJson(res, 200, fileView(await getFile(ctx.gw.db, ctx.key.workspaceId, params.id!)));
});

// DELETE /v1/files/{id}
export const deleteFileRoute = withApiKey(async (ctx, _req, res, params) => {
  sendJson(res, 200, await deleteFile(ctx.gw.db, ctx.gw.files, ctx.key.workspaceId, params.id!));
});

// GET /v1/files/{id}/url?expiry=<hours>: a link to the content that needs no key until it expires
export const fileUrlRoute = withApiKey(async (ctx, req, res, params) => {
  const row = await getFile(ctx.gw.db, ctx.key.workspaceId, params.id!);
  const hours = z.coerce.number().min(1 / 60).max(168).default(24).parse(new URL(req.url ?? "/", "http://bora").searchParams.get("expiry") ?? undefined);
  const expires = Math.floor(Date.now() / 1000 + hours * 3600);
  sendJson(res, 200, { url: signFileUrl(publicBase(req), ctx.gw.secret, row.id, expires) });
});

const withKeyContent = withApiKey(async (ctx, _req, res, params) => {
  const row = await getFile(ctx.gw.db, ctx.key.workspaceId, params.id!);
  await sendContent(ctx.gw, res, row);
});

// GET /v1/files/{id}/content: the bytes, with a key of the workspace or a signed link
export async function fileContentRoute(gw: Gateway, req: IncomingMessage, res: ServerResponse, requestId: string, params: Record<string, string>) {
  const url = new URL(req.url ?? "/", "http://bora");
  const signature = url.searchParams.get("signature");
  if (!signature) return withKeyContent(gw, req, res, requestId, params);
  const row = verifyFileUrl(gw.secret, params.id!, url.searchParams.get("expires") ?? "", signature) ? await getFileById(gw.db, params.id!) : undefined;
  if (!row) throw new BoraError("forbidden:file_url", "This file link is invalid or has expired.");
  await sendContent(gw, res, row);
}

async function sendContent(gw: Gateway, res: ServerResponse, row: { storageKey: string; filename: string; sizeBytes: number }) {
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": row.sizeBytes, "content-disposition": `attachment; filename="${row.filename}"` });
  const stream = gw.files.read(row.storageKey);
  await new Promise<void>((resolve, reject) => {
    stream.once("error", reject);
    // A client that leaves mid-download releases the store's stream (and a bucket's connection).
    res.once("close", () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

function publicBase(req: IncomingMessage): string {
  const configured = getConfig().BORA_PUBLIC_URL;
  if (configured) return configured.replace(/\/$/, "");
  const proto = (req.headers["x-forwarded-proto"] as string | undefined)?.split(",")[0] ?? "http";
  return `${proto}://${req.headers.host ?? "localhost"}`;
}
