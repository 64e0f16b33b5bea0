// /v1/files through Bora: upload streamed to the store, list, read, signed links, delete,
// limits, and workspace isolation; and the official client's upload.
import fs from "node:fs";
import path from "node:path";
import { Mistral as MistralV1 } from "mistral-v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace } from "@/lib/services/workspaces";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture & { env: Record<string, string> };
const dataset = ['{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}', "", '{"messages":[{"role":"user","content":"Bye"},{"role":"assistant","content":"See you"}]}', ""].join("\n");

beforeAll(async () => {
  fx = await startGatewayFixture({ BORA_MAX_FILE_BYTES: "4096" });
});
afterAll(() => fx.close());

function upload(key: string, content: string | Blob, purpose = "fine-tune", filename = "train.jsonl") {
  const form = new FormData();
  form.append("purpose", purpose);
  form.append("file", content instanceof Blob ? content : new Blob([content]), filename);
  return fetch(`${fx.bora.url}/v1/files`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });
}

const get = (key: string, p: string, method = "GET") => fetch(`${fx.bora.url}${p}`, { method, headers: { authorization: `Bearer ${key}` } });

describe("/v1/files", () => {
  it("stores an upload and gives it back byte for byte", async () => {
    const res = await upload(fx.key, dataset);
    expect(res.status).toBe(200);
    const file = await res.json();
    expect(file).toMatchObject({ object: "file", filename: "train.jsonl", purpose: "fine-tune", sample_type: "instruct", num_lines: 2, bytes: Buffer.byteLength(dataset), source: "upload" });
    expect(typeof file.created_at).toBe("number");

    expect(await (await get(fx.key, `/v1/files/${file.id}`)).json()).toMatchObject({ id: file.id, bytes: file.bytes });
    const content = await get(fx.key, `/v1/files/${file.id}/content`);
    expect(await content.text()).toBe(dataset);

    const list = await (await get(fx.key, "/v1/files?purpose=fine-tune&page_size=50")).json();
    expect(list.data.map((f: { id: string }) => f.id)).toContain(file.id);
    expect(list.total).toBeGreaterThanOrEqual(1);
    const batches = await (await get(fx.key, "/v1/files?purpose=batch")).json();
    expect(batches.data.map((f: { id: string }) => f.id)).not.toContain(file.id);
  });

  it("gives a signed link that works without a key until it expires, and not when altered", async () => {
    const file = await (await upload(fx.key, dataset)).json();
    const { url } = await (await get(fx.key, `/v1/files/${file.id}/url?expiry=1`)).json();
    expect(url).toContain(`/v1/files/${file.id}/content?expires=`);
    const plain = await fetch(url);
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe(dataset);
    const tampered = await fetch(url.replace(/expires=(\d+)/, (_: string, n: string) => `expires=${Number(n) + 3600}`));
    expect(tampered.status).toBe(403);
    expect((await tampered.json()).message).toMatch(/invalid or has expired/);
  });

  it("refuses a file over the limit with 413 and keeps nothing", async () => {
    const before = await (await get(fx.key, "/v1/files")).json();
    const res = await upload(fx.key, "x".repeat(10_000));
    expect(res.status).toBe(413);
    expect((await res.json()).message).toMatch(/larger than the limit of 4096 bytes/);
    const after = await (await get(fx.key, "/v1/files")).json();
    expect(after.total).toBe(before.total);
    const dir = path.join(fx.env.BORA_DATA_DIR!, "files");
    const leftovers = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".part")) : [];
    expect(leftovers).toEqual([]);
  });

  it("refuses a bad purpose (422, nothing stored) and a body that is not multipart (400)", async () => {
    const before = (await (await get(fx.key, "/v1/files")).json()).total;
    const bad = await upload(fx.key, dataset, "homework");
    expect(bad.status).toBe(422);
    expect((await bad.json()).param).toBe("purpose");
    expect((await (await get(fx.key, "/v1/files")).json()).total).toBe(before);
    const json = await fetch(`${fx.bora.url}/v1/files`, { method: "POST", headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(400);
  });

  it("deletes a file, after which it is 404", async () => {
    const file = await (await upload(fx.key, dataset)).json();
    expect(await (await get(fx.key, `/v1/files/${file.id}`, "DELETE")).json()).toEqual({ id: file.id, object: "file", deleted: true });
    expect((await get(fx.key, `/v1/files/${file.id}`)).status).toBe(404);
    expect((await get(fx.key, `/v1/files/${file.id}/content`)).status).toBe(404);
  });

  it("keeps workspaces apart: another workspace's key sees 404 and an empty list", async () => {
    await createWorkspace(fx.bora.db.db, fx.admin, { name: "Other", slug: "other-files" });
    const other = await fx.newKey({ workspace: "other-files" });
    const file = await (await upload(fx.key, dataset)).json();
    expect((await get(other, `/v1/files/${file.id}`)).status).toBe(404);
    expect((await get(other, `/v1/files/${file.id}/content`)).status).toBe(404);
    expect((await get(other, `/v1/files/${file.id}`, "DELETE")).status).toBe(404);
    expect((await (await get(other, "/v1/files")).json()).data).toEqual([]);
    expect((await get(fx.key, `/v1/files/${file.id}`)).status).toBe(200);
  });

  it("works with @mistralai/mistralai 1.x files.upload, list, retrieve and download", async () => {
    const client = new MistralV1({ apiKey: fx.key, serverURL: fx.bora.url });
    const up = await client.files.upload({ file: { fileName: "sdk.jsonl", content: new TextEncoder().encode(dataset) }, purpose: "fine-tune" });
    expect(up.numLines).toBe(2);
    expect(up.sizeBytes).toBe(Buffer.byteLength(dataset));
    const got = await client.files.retrieve({ fileId: up.id });
    expect(got.filename).toBe("sdk.jsonl");
    const list = await client.files.list({ purpose: "fine-tune" });
    expect(list.data.some((f) => f.id === up.id)).toBe(true);
    const stream = await client.files.download({ fileId: up.id });
    expect(await new Response(stream).text()).toBe(dataset);
    const deleted = await client.files.delete({ fileId: up.id });
    expect(deleted.deleted).toBe(true);
  });
});
