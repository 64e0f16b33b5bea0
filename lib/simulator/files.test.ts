import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./server";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const samples = [
  { messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }] },
  { messages: [{ role: "user", content: "2+2?" }, { role: "assistant", content: "4" }] },
  { messages: [{ role: "user", content: "Capital of France?" }, { role: "assistant", content: "Paris" }] },
];
const jsonl = samples.map((s) => JSON.stringify(s)).join("\n") + "\n";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
});

async function upload(name: string, text: string, purpose?: string) {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "application/jsonl" }), name);
  if (purpose) form.append("purpose", purpose);
  return fetch(`${sim.url}/v1/files`, { method: "POST", body: form });
}

describe("the simulator's Files API", () => {
  it("stores an upload, lists it, and gives the same bytes back", async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await upload("train.jsonl", jsonl, "fine-tune");
    expect(res.status).toBe(200);
    const file = (await res.json()) as Record<string, unknown>;
    expect(file).toMatchObject({ object: "file", bytes: Buffer.byteLength(jsonl), filename: "train.jsonl", purpose: "fine-tune", sample_type: "instruct", num_lines: 3, source: "upload", mimetype: "application/jsonl" });
    expect(file.id).toMatch(uuid);
    expect(file.created_at).toBeGreaterThanOrEqual(before);
    expect(file.created_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(file).not.toHaveProperty("content");

    const other = (await (await upload("batch.jsonl", '{"custom_id":"1","body":{}}\n', "batch")).json()) as { id: string; sample_type: string };
    expect(other.sample_type).toBe("batch_request");

    const list = (await (await fetch(`${sim.url}/v1/files`)).json()) as { object: string; total: number; data: { id: string }[] };
    expect(list.object).toBe("list");
    expect(list.total).toBe(2);
    expect(list.data.map((f) => f.id)).toEqual([other.id, file.id]); // newest first
    const tuning = (await (await fetch(`${sim.url}/v1/files?purpose=fine-tune`)).json()) as { total: number; data: { id: string }[] };
    expect(tuning.data.map((f) => f.id)).toEqual([file.id]);
    const paged = (await (await fetch(`${sim.url}/v1/files?page=1&page_size=1`)).json()) as { total: number; data: { id: string }[] };
    expect(paged).toMatchObject({ total: 2, data: [{ id: file.id }] });

    const one = (await (await fetch(`${sim.url}/v1/files/${file.id}`)).json()) as Record<string, unknown>;
    expect(one).toEqual({ ...file, deleted: false });
    const content = await fetch(`${sim.url}/v1/files/${file.id}/content`);
    expect(content.headers.get("content-type")).toBe("application/octet-stream");
    expect(await content.text()).toBe(jsonl);
    const signed = (await (await fetch(`${sim.url}/v1/files/${file.id}/url`)).json()) as { url: string };
    expect(await (await fetch(signed.url)).text()).toBe(jsonl);
  });

  it("deletes a file, after which it is not found", async () => {
    const file = (await (await upload("train.jsonl", jsonl)).json()) as { id: string; purpose: string };
    expect(file.purpose).toBe("fine-tune"); // the default purpose
    const del = await fetch(`${sim.url}/v1/files/${file.id}`, { method: "DELETE" });
    expect(await del.json()).toEqual({ id: file.id, object: "file", deleted: true });
    const gone = await fetch(`${sim.url}/v1/files/${file.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ object: "error", message: `File ${file.id} not found`, code: "404" });
    expect(((await (await fetch(`${sim.url}/v1/files`)).json()) as { total: number }).total).toBe(0);
  });

  it("rejects an upload without a file part, with an unknown purpose, or that is not multipart", async () => {
    const form = new FormData();
    form.append("purpose", "fine-tune");
    const noFile = await fetch(`${sim.url}/v1/files`, { method: "POST", body: form });
    expect(noFile.status).toBe(422);
    expect(((await noFile.json()) as { message: string }).message).toMatch(/^file:/);
    const badPurpose = await upload("x.jsonl", jsonl, "training");
    expect(badPurpose.status).toBe(422);
    expect(((await badPurpose.json()) as { message: string }).message).toMatch(/^purpose:/);
    const notMultipart = await fetch(`${sim.url}/v1/files`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(notMultipart.status).toBe(400);
  });

  it("records uploads, keeps them behind the API key, and is Mistral-only", async () => {
    await upload("train.jsonl", jsonl);
    const recorded = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as { data: { path: string; method: string; body: Record<string, unknown> }[] };
    expect(recorded.data.at(-1)).toMatchObject({ path: "/v1/files", method: "POST", body: { multipart: true } });
    expect((await fetch(`${sim.url}/openai/v1/files`)).status).toBe(404);
    sim.options.apiKey = "secret";
    try {
      expect((await upload("train.jsonl", jsonl)).status).toBe(401);
      expect((await fetch(`${sim.url}/v1/files`, { headers: { authorization: "Bearer secret" } })).status).toBe(200);
    } finally {
      delete sim.options.apiKey;
    }
  });
});
