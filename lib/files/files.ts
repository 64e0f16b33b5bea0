// The files of a workspace: upload (streamed into the store), list, read, delete, in the shapes
// of La Plateforme's /v1/files. A row exists only for bytes that were stored whole, and bytes
// never outlive their row: every failure path removes what it wrote.
import crypto from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { and, count, desc, eq, ilike, inArray } from "drizzle-orm";
import { z } from "zod";
import { filePurposes, files, sampleTypes, type FileRow, type SampleType } from "@/db/schema";
import type { Executor } from "@/lib/services/context";
import { BoraError } from "@/lib/errors";
import { readUpload } from "./multipart";
import type { FileStore } from "./store";

export type FileOwner = { workspaceId: string; keyId?: string | null; userId?: string | null };

const uploadFields = z.object({
  purpose: z.enum(filePurposes, { message: `purpose must be one of ${filePurposes.join(", ")}.` }).default("fine-tune"),
});

const sampleTypeFor: Record<string, SampleType> = { "fine-tune": "instruct", batch: "batch_request", ocr: "pretrain" };

export function fileView(f: FileRow) {
  return {
    id: f.id,
    object: "file",
    bytes: f.sizeBytes,
    created_at: Math.floor(f.createdAt.getTime() / 1000),
    filename: f.filename,
    purpose: f.purpose,
    sample_type: f.sampleType ?? sampleTypeFor[f.purpose] ?? "instruct",
    num_lines: f.numLines,
    mimetype: f.filename.endsWith(".jsonl") ? "application/jsonl" : null,
    source: f.source === "bora" ? "mistral" : "upload",
    signature: f.sha256,
    deleted: false,
  };
}

export async function uploadFile(db: Executor, store: FileStore, owner: FileOwner, req: IncomingMessage, maxBytes: number): Promise<FileRow> {
  const id = crypto.randomUUID();
  const storageKey = `${owner.workspaceId}/${id}`;
  const upload = await readUpload(req, store, storageKey, maxBytes);
  try {
    const { purpose } = uploadFields.parse(upload.fields);
    const [row] = await db
      .insert(files)
      .values({ id, workspaceId: owner.workspaceId, filename: safeName(upload.filename), purpose, sampleType: sampleTypeFor[purpose], sizeBytes: upload.stored.sizeBytes, numLines: upload.stored.numLines, sha256: upload.stored.sha256, storageKey, createdByKeyId: owner.keyId ?? null, createdByUserId: owner.userId ?? null })
      .returning();
    return row!;
  } catch (err) {
    await store.remove(storageKey);
    throw err;
  }
}

/** A file Bora writes itself (a batch's results), from a stream. */
export async function storeFile(db: Executor, store: FileStore, owner: FileOwner, input: { filename: string; purpose: (typeof filePurposes)[number]; sampleType: SampleType; body: Readable }, maxBytes = Number.MAX_SAFE_INTEGER): Promise<FileRow> {
  const id = crypto.randomUUID();
  const storageKey = `${owner.workspaceId}/${id}`;
  const stored = await store.put(storageKey, input.body, maxBytes);
  try {
    const [row] = await db.insert(files).values({ id, workspaceId: owner.workspaceId, filename: input.filename, purpose: input.purpose, sampleType: input.sampleType, ...stored, storageKey, source: "bora", createdByKeyId: owner.keyId ?? null, createdByUserId: owner.userId ?? null }).returning();
    return row!;
  } catch (err) {
    await store.remove(storageKey);
    throw err;
  }
}

export const listFilesQuery = z.object({
  page: z.coerce.number().int().min(0).default(0),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
  purpose: z.enum(filePurposes).optional(),
  sample_type: z.array(z.enum(sampleTypes)).optional(),
  search: z.string().max(200).optional(),
});

export async function listFiles(db: Executor, workspaceId: string, query: z.infer<typeof listFilesQuery>) {
  const where = and(
    eq(files.workspaceId, workspaceId),
    query.purpose ? eq(files.purpose, query.purpose) : undefined,
    query.sample_type?.length ? inArray(files.sampleType, query.sample_type) : undefined,
    query.search ? ilike(files.filename, `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db.select().from(files).where(where).orderBy(desc(files.createdAt), desc(files.id)).limit(query.page_size).offset(query.page * query.page_size),
    db.select({ n: count() }).from(files).where(where),
  ]);
  return { object: "list", data: rows.map(fileView), total: total?.n ?? 0 };
}

/** A file of this workspace, or 404: another workspace's id reads as unknown. */
export async function getFile(db: Executor, workspaceId: string, id: string): Promise<FileRow> {
  const row = z.string().uuid().safeParse(id).success ? (await db.select().from(files).where(and(eq(files.id, id), eq(files.workspaceId, workspaceId))).limit(1))[0] : undefined;
  if (!row) throw new BoraError("not_found:file", `No file with id "${id}".`, { param: "file_id" });
  return row;
}

export async function getFileById(db: Executor, id: string): Promise<FileRow | undefined> {
  if (!z.string().uuid().safeParse(id).success) return undefined;
  return (await db.select().from(files).where(eq(files.id, id)).limit(1))[0];
}

export async function deleteFile(db: Executor, store: FileStore, workspaceId: string, id: string) {
  const row = await getFile(db, workspaceId, id);
  await db.delete(files).where(eq(files.id, row.id));
  await store.remove(row.storageKey);
  return { id: row.id, object: "file", deleted: true };
}

// Names come from clients: keep them printable and short, never a path.
function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "upload";
  return base.replace(/[^\w.\- ]+/g, "_").slice(0, 200) || "upload";
}
