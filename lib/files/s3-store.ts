// File bytes in an S3-compatible bucket (AWS, MinIO, R2…), for when BORA_S3_BUCKET is set.
// Uploads stream through `measuring` into a multipart upload, so a 512 MB file is never held
// whole: 5 MB parts, four in flight (about 20 MB per upload). Parts of 5 MB times S3's 10,000
// parts allow 50 GB, far beyond any sensible BORA_MAX_FILE_BYTES. A refused or failed upload is
// aborted, which leaves no object and no parts behind.
import { Readable, pipeline } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { measuring, type FileStore, type Stored } from "./store";

export type S3StoreOptions = {
  bucket: string;
  region: string;
  /** An S3-compatible server; addressed path-style (`<endpoint>/<bucket>/<key>`) when set. */
  endpoint?: string;
  /** Both or neither: without them the SDK's default chain (env, profile, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Prepended to every key, e.g. `bora/`, to share a bucket. */
  prefix?: string;
};

export class S3FileStore implements FileStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(opts: S3StoreOptions) {
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ? opts.prefix.replace(/\/*$/, "/") : "";
    this.client = new S3Client({
      region: opts.region,
      ...(opts.endpoint
        ? {
            endpoint: opts.endpoint,
            forcePathStyle: true,
            // The SDK's default CRC checksums on every request are refused by several
            // S3-compatible servers; send them only where S3 requires them. Bora keeps its own
            // SHA-256 of every file.
            requestChecksumCalculation: "WHEN_REQUIRED" as const,
            responseChecksumValidation: "WHEN_REQUIRED" as const,
          }
        : {}),
      ...(opts.accessKeyId && opts.secretAccessKey ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } } : {}),
    });
  }

  private keyOf(key: string): string {
    return this.prefix + key;
  }

  async put(key: string, body: Readable, maxBytes: number): Promise<Stored> {
    const measure = measuring(maxBytes);
    // An error of the body or a TooLarge from `measure` surfaces in the upload, which aborts.
    const source = pipeline(body, measure.stream, () => {});
    let bodyError: Error | undefined;
    source.once("error", (err) => (bodyError = err));
    const upload = new Upload({ client: this.client, params: { Bucket: this.bucket, Key: this.keyOf(key), Body: source } });
    try {
      await upload.done();
      return measure.result();
    } catch (err) {
      // The body's own error first: a TooLarge must stay a 413 even if the abort call failed.
      const cause = bodyError ?? err;
      source.destroy(); // the bucket failed: stop reading the body
      throw cause;
    }
  }

  /** Synchronous like the interface: the GET starts only when the stream is first read. */
  read(key: string): Readable {
    const abort = new AbortController();
    const { client, bucket } = this;
    const objectKey = this.keyOf(key);
    async function* chunks() {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey }), { abortSignal: abort.signal });
      yield* (res.Body as Readable);
    }
    const stream = Readable.from(chunks(), { objectMode: false });
    // Destroyed before its end (a client that went away): end the request to the bucket too.
    stream.once("close", () => {
      if (!stream.readableEnded) abort.abort();
    });
    return stream;
  }

  async remove(key: string): Promise<void> {
    // Deleting a key that does not exist succeeds, as with the directory store.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
  }
}
