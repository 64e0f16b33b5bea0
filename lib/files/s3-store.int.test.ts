// The S3 file store against the S3 simulator over real HTTP: a multipart round trip, refusals
// and failed bodies that leave nothing behind, and /v1/files end to end on a bucket.
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";
import { startS3Simulator, type S3Simulator } from "./s3-simulator";
import { S3FileStore } from "./s3-store";
import { TooLarge } from "./store";

const MB = 1024 * 1024;
let sim: S3Simulator;
let store: S3FileStore;

beforeAll(async () => {
  sim = await startS3Simulator();
  store = new S3FileStore({ bucket: "bora", region: "us-east-1", endpoint: sim.url, accessKeyId: "x", secretAccessKey: "y", prefix: "files" });
});
afterAll(() => sim.close());

/** `count` JSONL lines of about 140 bytes each. */
function jsonl(count: number): Buffer {
  const line = (i: number) => JSON.stringify({ messages: [{ role: "user", content: `question ${i}` }, { role: "assistant", content: "x".repeat(50) }] }) + "\n";
  return Buffer.from(Array.from({ length: count }, (_, i) => line(i)).join(""));
}

/** The bytes in 64 KB chunks as a socket would deliver them; failing at `failAfter` bytes if given. */
function chunked(buf: Buffer, failAfter?: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < buf.length; at += 64 * 1024) {
        if (failAfter !== undefined && at >= failAfter) throw new Error("connection reset");
        yield buf.subarray(at, at + 64 * 1024);
      }
    })(),
    { objectMode: false },
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe("S3FileStore", () => {
  it("streams a body of several parts in, reads it back whole and removes it", async () => {
    const body = jsonl(80_000); // about 11 MB: two 5 MB parts and a last, smaller one
    expect(Math.ceil(body.length / (5 * MB))).toBe(3);
    sim.calls.length = 0;

    const stored = await store.put("ws1/file1", chunked(body), 512 * MB);
    expect(stored).toEqual({ sizeBytes: body.length, sha256: crypto.createHash("sha256").update(body).digest("hex"), numLines: 80_000 });
    expect(sim.calls.filter((c) => c === "UploadPart")).toHaveLength(3);
    expect(sim.calls).toContain("CreateMultipartUpload");
    expect(sim.calls).toContain("CompleteMultipartUpload");
    expect(sim.calls).not.toContain("PutObject");
    expect(sim.objects.get("bora/files/ws1/file1")?.body.equals(body)).toBe(true);
    expect(sim.uploads.size).toBe(0);

    expect((await readAll(store.read("ws1/file1"))).equals(body)).toBe(true);

    await store.remove("ws1/file1");
    expect(sim.objects.has("bora/files/ws1/file1")).toBe(false);
    await expect(readAll(store.read("ws1/file1"))).rejects.toMatchObject({ name: "NoSuchKey" });
    await store.remove("ws1/file1"); // removing what is gone is not an error
  });

  it("puts a small body in one request and counts its lines", async () => {
    const body = Buffer.from('{"a":1}\r\n\n  \n{"b":2}');
    sim.calls.length = 0;
    expect(await store.put("ws1/small", Readable.from([body]), 1024)).toEqual({ sizeBytes: body.length, sha256: crypto.createHash("sha256").update(body).digest("hex"), numLines: 2 });
    expect(sim.calls).toEqual(["PutObject"]);
    expect((await readAll(store.read("ws1/small"))).equals(body)).toBe(true);
  });

  it("starts the GET only when the stream is read", async () => {
    sim.calls.length = 0;
    const stream = store.read("ws1/small");
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.calls).toEqual([]);
    await readAll(stream);
    expect(sim.calls).toEqual(["GetObject"]);
  });

  it("refuses a body past the limit with TooLarge, aborts the multipart upload and keeps nothing", async () => {
    sim.calls.length = 0;
    const before = sim.objects.size;
    await expect(store.put("ws1/big", chunked(jsonl(120_000)), 7 * MB)).rejects.toBeInstanceOf(TooLarge);
    // The first part went up before the limit was passed: the upload existed, and was aborted.
    expect(sim.calls).toContain("UploadPart");
    expect(sim.calls).toContain("AbortMultipartUpload");
    expect(sim.calls).not.toContain("CompleteMultipartUpload");
    expect(sim.uploads.size).toBe(0);
    expect(sim.objects.has("bora/files/ws1/big")).toBe(false);
    expect(sim.objects.size).toBe(before);
  });

  it("refuses a small body past the limit without writing anything", async () => {
    sim.calls.length = 0;
    await expect(store.put("ws1/over", Readable.from([Buffer.alloc(5000, "x")]), 4096)).rejects.toBeInstanceOf(TooLarge);
    expect(sim.calls).toEqual([]);
    expect(sim.objects.has("bora/files/ws1/over")).toBe(false);
  });

  it("aborts the upload and keeps nothing when the body fails midway", async () => {
    sim.calls.length = 0;
    await expect(store.put("ws1/cut", chunked(jsonl(120_000), 6 * MB), 512 * MB)).rejects.toThrow(/connection reset/);
    expect(sim.calls).toContain("AbortMultipartUpload");
    expect(sim.uploads.size).toBe(0);
    expect(sim.objects.has("bora/files/ws1/cut")).toBe(false);
  });

  it("fails with the bucket's own error when it cannot be reached, and stops reading the body", async () => {
    // Nothing listens on port 9: every request fails to connect.
    const gone = new S3FileStore({ bucket: "bora", region: "us-east-1", endpoint: "http://127.0.0.1:9", accessKeyId: "x", secretAccessKey: "y" });
    const body = chunked(jsonl(80_000));
    await expect(gone.put("ws1/nowhere", body, 512 * MB)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(body.destroyed).toBe(true);
  });

  it("the simulator refuses a request without credentials, as S3 does", async () => {
    const unsigned = await fetch(`${sim.url}/bora/files/ws1/small`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain("<Code>AccessDenied</Code>");
  });
});

describe("/v1/files on an S3 bucket", () => {
  let fx: GatewayFixture;
  const dataset = '{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}\n{"messages":[{"role":"user","content":"Bye"},{"role":"assistant","content":"See you"}]}\n';

  beforeAll(async () => {
    fx = await startGatewayFixture({ BORA_S3_BUCKET: "bora", BORA_S3_ENDPOINT: sim.url, BORA_S3_ACCESS_KEY_ID: "x", BORA_S3_SECRET_ACCESS_KEY: "y", BORA_MAX_FILE_BYTES: "4096" });
  });
  afterAll(() => fx?.close());

  const call = (p: string, init: RequestInit = {}) => fetch(`${fx.bora.url}${p}`, { ...init, headers: { authorization: `Bearer ${fx.key}` } });
  function upload(content: string) {
    const form = new FormData();
    form.append("purpose", "fine-tune");
    form.append("file", new Blob([content]), "train.jsonl");
    return call("/v1/files", { method: "POST", body: form });
  }
  const objectsOf = (fileId: string) => [...sim.objects.keys()].filter((k) => k.endsWith(`/${fileId}`));

  it("uploads into the bucket, serves the content from it and deletes the object", async () => {
    const res = await upload(dataset);
    expect(res.status).toBe(200);
    const file = await res.json();
    expect(file).toMatchObject({ object: "file", bytes: Buffer.byteLength(dataset), num_lines: 2, signature: crypto.createHash("sha256").update(dataset).digest("hex") });
    expect(objectsOf(file.id)).toHaveLength(1);
    expect(objectsOf(file.id)[0]).toMatch(new RegExp(`^bora/[^/]+/${file.id}$`));
    expect(sim.objects.get(objectsOf(file.id)[0]!)!.body.toString()).toBe(dataset);

    const content = await call(`/v1/files/${file.id}/content`);
    expect(content.status).toBe(200);
    expect(await content.text()).toBe(dataset);
    const { url } = await (await call(`/v1/files/${file.id}/url`)).json();
    expect(await (await fetch(url)).text()).toBe(dataset);

    expect(await (await call(`/v1/files/${file.id}`, { method: "DELETE" })).json()).toMatchObject({ id: file.id, deleted: true });
    expect(objectsOf(file.id)).toEqual([]);
    expect((await call(`/v1/files/${file.id}/content`)).status).toBe(404);
  });

  it("refuses a file over the limit with 413 and leaves no object", async () => {
    const before = [...sim.objects.keys()];
    const res = await upload("x".repeat(10_000));
    expect(res.status).toBe(413);
    expect([...sim.objects.keys()]).toEqual(before);
    expect(sim.uploads.size).toBe(0);
  });
});
