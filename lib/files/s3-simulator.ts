// A stand-in for an S3-compatible server, for tests of the S3 file store: path-style object PUT,
// GET, HEAD and DELETE, and the four multipart-upload calls, answered in S3's XML. Objects live
// in memory and are exposed, with the open multipart uploads and the calls made, for
// assertions. Signatures are not checked, but a request without an Authorization header is
// refused as S3 would refuse it. Every bucket exists.
import crypto from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type S3Object = { body: Buffer; etag: string; contentType: string; lastModified: Date };
export type OpenUpload = { bucket: string; key: string; parts: Map<number, { body: Buffer; etag: string }> };

export type S3Simulator = {
  url: string;
  /** Stored objects, by `<bucket>/<key>`. */
  objects: Map<string, S3Object>;
  /** Multipart uploads begun and neither completed nor aborted, by upload id. */
  uploads: Map<string, OpenUpload>;
  /** The operations answered, in order (`PutObject`, `UploadPart`…), failures included. */
  calls: string[];
  close: () => Promise<void>;
};

// S3 refuses parts under 5 MB except the last one.
const minPartBytes = 5 * 1024 * 1024;

export async function startS3Simulator(opts: { port?: number; host?: string } = {}): Promise<S3Simulator> {
  const objects = new Map<string, S3Object>();
  const uploads = new Map<string, OpenUpload>();
  const calls: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://s3");
    const q = url.searchParams;
    const [bucket = "", ...rest] = url.pathname.slice(1).split("/");
    const key = rest.map(decodeURIComponent).join("/");
    const method = req.method ?? "GET";
    const operation =
      method === "POST" && q.has("uploads") ? "CreateMultipartUpload"
      : method === "POST" && q.has("uploadId") ? "CompleteMultipartUpload"
      : method === "PUT" && q.has("uploadId") ? "UploadPart"
      : method === "DELETE" && q.has("uploadId") ? "AbortMultipartUpload"
      : method === "PUT" ? "PutObject"
      : method === "GET" ? "GetObject"
      : method === "HEAD" ? "HeadObject"
      : method === "DELETE" ? "DeleteObject"
      : "Unsupported";
    calls.push(operation);
    const body = await readBody(req);
    if (!req.headers.authorization) return fail(res, 403, "AccessDenied", "Access Denied", key);
    if (!bucket || !key || operation === "Unsupported") return fail(res, 501, "NotImplemented", `${method} ${url.pathname} is not simulated.`, key);
    // Chunked signing (aws-chunked) frames the body; the store turns it off for custom endpoints.
    if (String(req.headers["content-encoding"] ?? "").includes("aws-chunked")) return fail(res, 501, "NotImplemented", "aws-chunked bodies are not simulated.", key);
    const name = `${bucket}/${key}`;
    const uploadId = q.get("uploadId") ?? "";
    const upload = uploads.get(uploadId);
    if (uploadId && (!upload || upload.bucket !== bucket || upload.key !== key)) return fail(res, 404, "NoSuchUpload", "The specified upload does not exist.", key);

    switch (operation) {
      case "PutObject": {
        const etag = md5Etag(body);
        objects.set(name, { body, etag, contentType: String(req.headers["content-type"] ?? "binary/octet-stream"), lastModified: new Date() });
        res.writeHead(200, { etag }).end();
        return;
      }
      case "GetObject":
      case "HeadObject": {
        const obj = objects.get(name);
        if (!obj) return fail(res, 404, "NoSuchKey", "The specified key does not exist.", key, operation === "HeadObject");
        res.writeHead(200, { "content-type": obj.contentType, "content-length": obj.body.length, etag: obj.etag, "last-modified": obj.lastModified.toUTCString(), "accept-ranges": "bytes" });
        res.end(operation === "GetObject" ? obj.body : undefined);
        return;
      }
      case "DeleteObject":
        objects.delete(name);
        res.writeHead(204).end();
        return;
      case "CreateMultipartUpload": {
        const id = crypto.randomBytes(16).toString("hex");
        uploads.set(id, { bucket, key, parts: new Map() });
        return xml(res, 200, `<InitiateMultipartUploadResult><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
      }
      case "UploadPart": {
        const partNumber = Number(q.get("partNumber"));
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) return fail(res, 400, "InvalidArgument", "Part number must be an integer between 1 and 10000.", key);
        const etag = md5Etag(body);
        upload!.parts.set(partNumber, { body, etag });
        res.writeHead(200, { etag }).end();
        return;
      }
      case "CompleteMultipartUpload": {
        const listed = [...body.toString("utf8").matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part]) => ({
          number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part!)?.[1]),
          etag: unesc(/<ETag>([\s\S]*?)<\/ETag>/.exec(part!)?.[1] ?? ""),
        }));
        if (!listed.length) return fail(res, 400, "MalformedXML", "The XML you provided was not well-formed.", key);
        const parts = [];
        for (const [i, p] of listed.entries()) {
          if (i > 0 && p.number <= listed[i - 1]!.number) return fail(res, 400, "InvalidPartOrder", "The list of parts was not in ascending order.", key);
          const stored = upload!.parts.get(p.number);
          if (!stored || stored.etag !== p.etag) return fail(res, 400, "InvalidPart", `Part ${p.number} was not uploaded or its ETag does not match.`, key);
          if (i < listed.length - 1 && stored.body.length < minPartBytes) return fail(res, 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", key);
          parts.push(stored);
        }
        const etag = `"${crypto.createHash("md5").update(Buffer.concat(parts.map((p) => Buffer.from(p.etag.slice(1, -1), "hex")))).digest("hex")}-${parts.length}"`;
        objects.set(name, { body: Buffer.concat(parts.map((p) => p.body)), etag, contentType: "binary/octet-stream", lastModified: new Date() });
        uploads.delete(uploadId);
        return xml(res, 200, `<CompleteMultipartUploadResult><Location>${esc(`${serverUrl}/${name}`)}</Location><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><ETag>${esc(etag)}</ETag></CompleteMultipartUploadResult>`);
      }
      case "AbortMultipartUpload":
        uploads.delete(uploadId);
        res.writeHead(204).end();
        return;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) fail(res, 500, "InternalError", err.message, "");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: serverUrl,
    objects,
    uploads,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // The SDK keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function md5Etag(body: Buffer): string {
  return `"${crypto.createHash("md5").update(body).digest("hex")}"`;
}

function xml(res: ServerResponse, status: number, doc: string) {
  res.writeHead(status, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?>\n${doc}`);
}

function fail(res: ServerResponse, status: number, code: string, message: string, key: string, headOnly = false) {
  // HEAD answers carry no body: the SDK reads the code from the status alone.
  if (headOnly) return void res.writeHead(status).end();
  xml(res, status, `<Error><Code>${code}</Code><Message>${esc(message)}</Message><Key>${esc(key)}</Key><RequestId>${crypto.randomBytes(8).toString("hex")}</RequestId></Error>`);
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => entities[c]!);
}

const unescapes: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&#34;": '"', "&#x22;": '"' };

function unesc(s: string): string {
  return s.replace(/&(?:amp|lt|gt|quot|apos|#34|#x22);/g, (m) => unescapes[m]!);
}
