// Where file bytes live, behind one small interface: a directory under the data dir by default.
// Writes go to a temporary name and are renamed into place, so a failed or cut upload leaves
// nothing behind under a real key.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export type Stored = { sizeBytes: number; sha256: string; numLines: number };

export interface FileStore {
  /** Streams `body` in under `key`; refuses (and keeps nothing) past `maxBytes`. */
  put(key: string, body: Readable, maxBytes: number): Promise<Stored>;
  read(key: string): Readable;
  remove(key: string): Promise<void>;
}

export class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
  }
}

/** Counts bytes, non-empty lines and the SHA-256 as the bytes pass, without keeping them. */
export function measuring(maxBytes: number) {
  const hash = crypto.createHash("sha256");
  let size = 0;
  let lines = 0;
  let lineHasText = false;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new TooLarge(maxBytes));
      hash.update(chunk);
      for (const byte of chunk) {
        if (byte === 10) {
          if (lineHasText) lines++;
          lineHasText = false;
        } else if (byte !== 13 && byte !== 32 && byte !== 9) lineHasText = true;
      }
      done(null, chunk);
    },
  });
  return { stream, result: (): Stored => ({ sizeBytes: size, sha256: hash.digest("hex"), numLines: lines + (lineHasText ? 1 : 0) }) };
}

export class DirectoryFileStore implements FileStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const full = path.resolve(this.root, key);
    // Keys are ours (workspace/file ids), but a path must never leave the store's directory.
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`bad storage key ${key}`);
    return full;
  }

  async put(key: string, body: Readable, maxBytes: number): Promise<Stored> {
    const target = this.pathOf(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${crypto.randomBytes(4).toString("hex")}.part`;
    const measure = measuring(maxBytes);
    const file = fs.createWriteStream(temp);
    try {
      await pipeline(body, measure.stream, file);
      await fs.promises.rename(temp, target);
      return measure.result();
    } catch (err) {
      // The file may still be opening when the pipeline fails: removing it before it has closed
      // would leave it behind.
      if (!file.closed) await new Promise<void>((resolve) => file.once("close", () => resolve()));
      await fs.promises.rm(temp, { force: true });
      throw err;
    }
  }

  read(key: string): Readable {
    return fs.createReadStream(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }
}
