// La Plateforme's Files API (Mistral dialect only): uploads kept in memory and answered with the
// wire shapes of @mistralai/mistralai 1.x (UploadFileOut, RetrieveFileOut, ListFilesOut,
// DeleteFileOut, FileSignedURL). Note the size field is `bytes` on the wire.
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { error, json } from "./respond";

const purposes = ["fine-tune", "batch", "ocr"] as const;
export type FilePurpose = (typeof purposes)[number];

/** A request for La Plateforme's routes, its body still raw: uploads are multipart. */
export type PlatformRequest = { req: IncomingMessage; res: ServerResponse; url: URL; path: string; body: Buffer };

/** A stored file: its wire fields, then its bytes. */
export type SimFile = {
  id: string;
  object: "file";
  bytes: number;
  created_at: number; // unix seconds
  filename: string;
  purpose: FilePurpose;
  sample_type: string;
  num_lines: number | null;
  mimetype: string | null;
  source: "upload";
  signature: string;
  expires_at: number | null;
  visibility: "workspace" | "user";
  content: Buffer;
};

export type FileStore = ReturnType<typeof createFiles>;

export function createFiles() {
  const files = new Map<string, SimFile>();

  async function handle({ req, res, url, path, body }: PlatformRequest) {
    const [, , , id, sub, ...rest] = path.split("/"); // "", "v1", "files", id, sub
    const method = req.method ?? "GET";
    if (rest.length) return error(res, "mistral", 404, `No route ${method} ${path}`);
    if (!id) {
      // POST /v1/files: upload (multipart: file, purpose)
      if (method === "POST") return upload(req, res, body);
      // GET /v1/files: list, newest first
      if (method === "GET") return list(res, url);
      return error(res, "mistral", 405, `Method ${method} not allowed on ${path}`);
    }
    const file = files.get(id);
    if (!file) return error(res, "mistral", 404, `File ${id} not found`);
    // GET /v1/files/{id}
    if (!sub && method === "GET") return json(res, 200, { ...wire(file), deleted: false });
    // DELETE /v1/files/{id}
    if (!sub && method === "DELETE") {
      files.delete(id);
      return json(res, 200, { id, object: "file", deleted: true });
    }
    // GET /v1/files/{id}/content: the bytes as uploaded
    if (sub === "content" && method === "GET") {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.content.length, "content-disposition": `attachment; filename="${file.filename}"` });
      return res.end(file.content);
    }
    // GET /v1/files/{id}/url: a "signed" URL, which here is just the content route
    if (sub === "url" && method === "GET") return json(res, 200, { url: `http://${req.headers.host ?? "127.0.0.1"}/v1/files/${id}/content?signature=${file.signature}` });
    return error(res, "mistral", 404, `No route ${method} ${path}`);
  }

  async function upload(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const type = req.headers["content-type"] ?? "";
    if (!type.startsWith("multipart/form-data")) return error(res, "mistral", 400, "Expected a multipart/form-data body with the fields file and purpose");
    let form: FormData;
    try {
      // Node's fetch Response parses multipart: no parser of our own to get wrong.
      form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
    } catch {
      return error(res, "mistral", 400, "Malformed multipart body");
    }
    const part = form.get("file");
    if (!part || typeof part === "string") return error(res, "mistral", 422, "file: Field required (a file part)");
    const purpose = String(form.get("purpose") ?? "fine-tune");
    if (!isPurpose(purpose)) return error(res, "mistral", 422, `purpose: must be one of ${purposes.join(", ")}`);
    const visibility = form.get("visibility") === "user" ? "user" : "workspace";
    const content = Buffer.from(await part.arrayBuffer());
    const text = content.toString("utf8");
    const jsonl = purpose !== "ocr" || part.name.endsWith(".jsonl");
    const file: SimFile = {
      id: crypto.randomUUID(),
      object: "file",
      bytes: content.length,
      created_at: Math.floor(Date.now() / 1000),
      filename: part.name || "file",
      purpose,
      sample_type: sampleType(purpose, text),
      num_lines: jsonl ? lines(text).length : null,
      mimetype: part.type || null,
      source: "upload",
      signature: crypto.createHash("sha256").update(content).digest("hex").slice(0, 32),
      expires_at: null,
      visibility,
      content,
    };
    files.set(file.id, file);
    return json(res, 200, wire(file));
  }

  function list(res: ServerResponse, url: URL) {
    const q = url.searchParams;
    const page = Math.max(0, Number(q.get("page") ?? 0) || 0);
    const pageSize = Math.max(1, Number(q.get("page_size") ?? 100) || 100);
    const sampleTypes = q.getAll("sample_type").flatMap((s) => s.split(","));
    const sources = q.getAll("source").flatMap((s) => s.split(","));
    const purpose = q.get("purpose");
    const search = q.get("search")?.toLowerCase();
    const matching = [...files.values()]
      .reverse() // insertion order, newest first: created_at alone ties within a second
      .filter((f) => (!purpose || f.purpose === purpose) && (!sampleTypes.length || sampleTypes.includes(f.sample_type)) && (!sources.length || sources.includes(f.source)))
      .filter((f) => !search || f.filename.toLowerCase().includes(search) || f.id === search);
    return json(res, 200, { data: matching.slice(page * pageSize, (page + 1) * pageSize).map(wire), object: "list", total: matching.length });
  }

  return {
    handle,
    get: (id: string) => files.get(id),
    clear: () => files.clear(),
  };
}

/** The non-blank lines of a JSONL text. */
export function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "");
}

function isPurpose(p: string): p is FilePurpose {
  return (purposes as readonly string[]).includes(p);
}

function wire(f: SimFile): Omit<SimFile, "content"> {
  const { content: _content, ...rest } = f;
  return rest;
}

// La Plateforme tells instruct data (`messages`) from pretraining data (`text`) by its lines.
function sampleType(purpose: FilePurpose, text: string): string {
  if (purpose === "batch") return "batch_request";
  const first = lines(text)[0];
  try {
    const sample = first ? (JSON.parse(first) as Record<string, unknown>) : {};
    return "text" in sample && !("messages" in sample) ? "pretrain" : "instruct";
  } catch {
    return purpose === "ocr" ? "pretrain" : "instruct";
  }
}
