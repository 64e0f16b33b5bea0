// Reads a multipart upload (fields `file` and `purpose`, as the SDKs send them) and streams the
// file part straight into the store: a 512 MB dataset never sits in memory.
import type { IncomingMessage } from "node:http";
import busboy from "busboy";
import { BoraError } from "@/lib/errors";
import { TooLarge, type FileStore, type Stored } from "./store";

export type Upload = { filename: string; fields: Record<string, string>; stored: Stored };

export function readUpload(req: IncomingMessage, store: FileStore, key: string, maxBytes: number): Promise<Upload> {
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("multipart/form-data")) {
    return Promise.reject(new BoraError("bad_request:content_type", "Send the file as multipart/form-data with the fields `file` and `purpose`."));
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      return reject(new BoraError("bad_request:multipart", "The multipart body has no boundary."));
    }
    let saving: Promise<{ filename: string; stored: Stored }> | undefined;
    parser.on("field", (name, value) => (fields[name] = value));
    parser.on("file", (name, stream, info) => {
      if (name !== "file") {
        stream.resume();
        return;
      }
      saving = store.put(key, stream, maxBytes).then((stored) => ({ filename: info.filename || "upload.jsonl", stored }));
      // A refused file (too large) answers at once, without waiting for the rest of the body.
      saving.catch((err: unknown) => fail(err instanceof TooLarge ? new BoraError("payload_too_large:file", `The file is larger than the limit of ${err.maxBytes} bytes.`, { param: "file" }) : err));
    });
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume(); // drain what is left, so the connection can answer
      reject(err);
    };
    parser.on("error", () => fail(new BoraError("bad_request:multipart", "The multipart body could not be read.")));
    parser.on("close", () => {
      if (!saving) return fail(new BoraError("unprocessable:file", "The upload has no `file` field.", { param: "file" }));
      saving.then(({ filename, stored }) => {
        if (settled) return;
        settled = true;
        resolve({ filename, fields, stored });
      }, fail);
    });
    req.pipe(parser);
  });
}
