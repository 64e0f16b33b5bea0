// The official SDK (1.x, which still has fine-tuning) against the simulator: its zod schemas
// parse every answer, so a field of the wrong name or type fails here.
import { Mistral } from "mistral-v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./server";

const jsonl = [
  { messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }] },
  { messages: [{ role: "user", content: "2+2?" }, { role: "assistant", content: "4" }] },
]
  .map((s) => JSON.stringify(s))
  .join("\n");

let sim: Simulator;
let client: Mistral;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, fineTuneStepMs: 20 });
  client = new Mistral({ apiKey: "x", serverURL: sim.url });
});
afterAll(() => sim.close());

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the simulator through @mistralai/mistralai 1.x", () => {
  it("uploads, lists, retrieves, downloads and deletes files", async () => {
    const uploaded = await client.files.upload({ file: { fileName: "train.jsonl", content: new TextEncoder().encode(jsonl) }, purpose: "fine-tune" });
    expect(uploaded).toMatchObject({ object: "file", filename: "train.jsonl", purpose: "fine-tune", sampleType: "instruct", numLines: 2, sizeBytes: Buffer.byteLength(jsonl), source: "upload" });
    const list = await client.files.list({ purpose: "fine-tune" });
    expect(list.total).toBe(1);
    expect(list.data[0]!.id).toBe(uploaded.id);
    expect(await client.files.retrieve({ fileId: uploaded.id })).toMatchObject({ id: uploaded.id, deleted: false, createdAt: uploaded.createdAt });
    const stream = await client.files.download({ fileId: uploaded.id });
    expect(await new Response(stream).text()).toBe(jsonl);
    expect((await client.files.getSignedUrl({ fileId: uploaded.id })).url).toContain(`/v1/files/${uploaded.id}/content`);
    expect(await client.files.delete({ fileId: uploaded.id })).toEqual({ id: uploaded.id, object: "file", deleted: true });
  });

  it("creates, starts, lists, polls and cancels jobs, and chats with the result", async () => {
    const file = await client.files.upload({ file: { fileName: "train.jsonl", content: new TextEncoder().encode(jsonl) }, purpose: "fine-tune" });
    const created = await client.fineTuning.jobs.create({ model: "sim-small", trainingFiles: [{ fileId: file.id, weight: 1 }], hyperparameters: { trainingSteps: 5 }, suffix: "sdk", autoStart: false });
    expect(created).toMatchObject({ jobType: "completion", status: "QUEUED", autoStart: false, trainingFiles: [file.id], suffix: "sdk" });
    const id = (created as { id: string }).id;

    const validated = await until(() => client.fineTuning.jobs.get({ jobId: id }), (j) => j.status === "VALIDATED");
    expect(validated.status).toBe("VALIDATED");
    expect((await client.fineTuning.jobs.start({ jobId: id })).status).toBe("RUNNING");
    const done = await until(() => client.fineTuning.jobs.get({ jobId: id }), (j) => j.status === "SUCCESS");
    expect(done.status).toBe("SUCCESS");
    expect(done.fineTunedModel).toBe(`ft:sim-small:sdk:${id.slice(0, 8)}`);
    const listed = await client.fineTuning.jobs.list({ model: "sim-small", status: "SUCCESS", createdAfter: new Date(Date.now() - 60_000), pageSize: 10 });
    expect(listed.total).toBe(1);
    expect(listed.data![0]).toMatchObject({ id, jobType: "completion", fineTunedModel: done.fineTunedModel });
    expect(done.events!.map((e) => e.data!.status).reverse()).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "SUCCESS"]);
    expect(done.checkpoints!.map((c) => c.stepNumber)).toEqual([5, 4, 3, 2, 1]);
    expect(done.checkpoints![0]!.metrics.trainLoss!).toBeLessThan(done.checkpoints![4]!.metrics.trainLoss!);
    expect(done.metadata).toMatchObject({ trainTokensPerStep: 1024, costCurrency: "USD" });
    expect(done.hyperparameters).toMatchObject({ trainingSteps: 5, learningRate: 0.0001 });

    const chat = await client.chat.complete({ model: done.fineTunedModel!, messages: [{ role: "user", content: "Hello" }] });
    expect(chat.model).toBe(done.fineTunedModel);
    expect(chat.choices![0]!.message!.content).toBe("Hello from the simulator. You said: Hello");

    const long = (await client.fineTuning.jobs.create({ model: "sim-small", trainingFiles: [{ fileId: file.id }], hyperparameters: { trainingSteps: 50 } })) as { id: string };
    await until(() => client.fineTuning.jobs.get({ jobId: long.id }), (j) => j.status === "RUNNING");
    expect((await client.fineTuning.jobs.cancel({ jobId: long.id })).status).toBe("CANCELLATION_REQUESTED");
    const cancelled = await until(() => client.fineTuning.jobs.get({ jobId: long.id }), (j) => j.status === "CANCELLED");
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.fineTunedModel).toBeNull();
  });
});
