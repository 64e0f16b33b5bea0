// Fine-tuning through Bora: the official client against the simulator (mistral trainer), the
// reference trainer through the command trainer, validation errors with line numbers, start,
// cancel, and a restart in the middle of a job.
import path from "node:path";
import { Mistral as MistralV1 } from "mistral-v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace } from "@/lib/services/workspaces";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

const trainer = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(path.resolve("lib/fine-tuning/reference-trainer/main.ts"))}`;
let fx: GatewayFixture & { env: Record<string, string> };
let client: MistralV1;

const conversations = Array.from({ length: 30 }, (_, i) => JSON.stringify({ messages: [{ role: "user", content: `What is ${i} plus ${i}?` }, { role: "assistant", content: `${i} plus ${i} is ${i + i}.` }] }));
const dataset = conversations.join("\n") + "\n";

beforeAll(async () => {
  fx = await startGatewayFixture({ BORA_JOB_POLL_MS: "100", BORA_TRAINER_COMMAND: trainer });
  fx.sim.options.fineTuneStepMs = 30;
  client = new MistralV1({ apiKey: fx.key, serverURL: fx.bora.url });
});
afterAll(() => fx.close());

async function upload(text: string, name = "train.jsonl") {
  return client.files.upload({ file: { fileName: name, content: new TextEncoder().encode(text) }, purpose: "fine-tune" });
}

// The create call answers with a job, or with cost metadata for a dry run.
async function createJob(request: Parameters<MistralV1["fineTuning"]["jobs"]["create"]>[0]) {
  const r = await client.fineTuning.jobs.create(request);
  if (!("id" in r) || typeof r.id !== "string") throw new Error("expected a job");
  return r as typeof r & { id: string; status: string };
}

async function until(id: string, done: (status: string) => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await client.fineTuning.jobs.get({ jobId: id });
    if (done(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const statuses = (job: { events?: { name: string; data?: { [k: string]: unknown } | null }[] }) => (job.events ?? []).filter((e) => e.name === "status-updated").map((e) => e.data?.status);
const losses = (job: { checkpoints?: { stepNumber: number; metrics: { trainLoss?: number | null } }[] }) => [...(job.checkpoints ?? [])].sort((a, b) => a.stepNumber - b.stepNumber).map((c) => c.metrics.trainLoss!);

describe("fine-tuning on La Plateforme (the simulator) with @mistralai/mistralai 1.x", () => {
  it("uploads, trains, mirrors falling loss, and serves the fine-tuned model to this workspace only", async () => {
    const file = await upload(dataset);
    const created = await createJob({ model: "small", trainingFiles: [{ fileId: file.id, weight: 1 }], hyperparameters: { trainingSteps: 10, learningRate: 0.0001 }, suffix: "math" });
    expect(created.status).toBe("QUEUED");
    const listed = await client.fineTuning.jobs.list({ model: "small" });
    expect(listed.data?.some((j) => j.id === created.id)).toBe(true);

    const job = await until(created.id, (s) => s === "SUCCESS" || s === "FAILED");
    expect(job.status).toBe("SUCCESS");
    expect(statuses(job)).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "SUCCESS"]);
    const loss = losses(job);
    expect(loss.length).toBeGreaterThanOrEqual(3);
    expect(loss.at(-1)!).toBeLessThan(loss[0]!);
    expect(job.fineTunedModel).toMatch(/^ft:small:math:[0-9a-f]{8}$/);
    expect(job.metadata?.dataTokens).toBeGreaterThan(0);

    const models = await (await fetch(`${fx.bora.url}/v1/models`, { headers: { authorization: `Bearer ${fx.key}` } })).json();
    expect(models.data.find((m: { id: string }) => m.id === job.fineTunedModel)).toMatchObject({ type: "fine-tuned", root: "small" });
    const answer = await client.chat.complete({ model: job.fineTunedModel!, messages: [{ role: "user", content: "What is 2 plus 2?" }] });
    expect(answer.model).toBe(job.fineTunedModel);
    expect(answer.choices?.[0]?.message?.content).toContain("You said: What is 2 plus 2?");

    await createWorkspace(fx.bora.db.db, fx.admin, { name: "Elsewhere", slug: "elsewhere-ft" });
    const other = await fx.newKey({ workspace: "elsewhere-ft" });
    const refused = await fetch(`${fx.bora.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${other}`, "content-type": "application/json" }, body: JSON.stringify({ model: job.fineTunedModel, messages: [{ role: "user", content: "hi" }] }) });
    expect(refused.status).toBe(404);
    expect((await fetch(`${fx.bora.url}/v1/fine_tuning/jobs/${job.id}`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(404);
  });

  it("fails validation naming the bad line, before anything reaches the upstream", async () => {
    const lines = [...conversations.slice(0, 6), JSON.stringify({ messages: [{ role: "user", content: "no answer" }] }), ...conversations.slice(6, 10)];
    const file = await upload(lines.join("\n"));
    const created = await createJob({ model: "small", trainingFiles: [{ fileId: file.id, weight: 1 }], hyperparameters: { trainingSteps: 5 } });
    const job = await until(created.id, (s) => s === "FAILED_VALIDATION");
    const failure = job.events?.find((e) => e.data?.status === "FAILED_VALIDATION");
    expect(JSON.stringify(failure?.data)).toMatch(/line 7/);
    const upstreamFiles = fx.sim.requests.filter((r) => r.path === "/v1/files");
    expect(upstreamFiles.every((r) => !JSON.stringify(r).includes("no answer"))).toBe(true);
  });

  it("stops at VALIDATED with auto_start false until started, and cancels a running job", async () => {
    const file = await upload(dataset);
    const held = await createJob({ model: "small", trainingFiles: [{ fileId: file.id, weight: 1 }], hyperparameters: { trainingSteps: 200 }, autoStart: false });
    await until(held.id, (s) => s === "VALIDATED");
    await new Promise((r) => setTimeout(r, 400));
    expect((await client.fineTuning.jobs.get({ jobId: held.id })).status).toBe("VALIDATED");
    await client.fineTuning.jobs.start({ jobId: held.id });
    await until(held.id, (s) => s === "RUNNING");
    const cancelled = await client.fineTuning.jobs.cancel({ jobId: held.id });
    expect(["CANCELLATION_REQUESTED", "CANCELLED"]).toContain(cancelled.status);
    const job = await until(held.id, (s) => s === "CANCELLED");
    expect(statuses(job)).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "CANCELLATION_REQUESTED", "CANCELLED"]);
  });

  it("refuses bad requests with the field named", async () => {
    const bad = await fetch(`${fx.bora.url}/v1/fine_tuning/jobs`, { method: "POST", headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json" }, body: JSON.stringify({ model: "small", training_files: [{ file_id: "00000000-0000-4000-8000-000000000000" }], hyperparameters: { training_steps: 5 } }) });
    expect(bad.status).toBe(404);
    expect((await bad.json()).param).toBe("training_files.0.file_id");
    const noSteps = await fetch(`${fx.bora.url}/v1/fine_tuning/jobs`, { method: "POST", headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json" }, body: JSON.stringify({ model: "small", training_files: [], hyperparameters: {} }) });
    expect(noSteps.status).toBe(422);
  });
});

describe("the command trainer with the reference trainer", () => {
  it("trains on this machine, its loss falls, and a restart mid-job loses nothing", async () => {
    const file = await upload(dataset);
    // "oai" is served by an OpenAI-compatible upstream: it trains with the configured command.
    const created = await createJob({ model: "oai", trainingFiles: [{ fileId: file.id, weight: 1 }], hyperparameters: { trainingSteps: 300, learningRate: 0.0001 } });
    // Restart once the first checkpoint is in, while the trainer still runs.
    const deadline = Date.now() + 60_000;
    while (((await client.fineTuning.jobs.get({ jobId: created.id })).checkpoints ?? []).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const before = await client.fineTuning.jobs.get({ jobId: created.id });
    expect(before.status).toBe("RUNNING");
    await fx.restart();
    client = new MistralV1({ apiKey: fx.key, serverURL: fx.bora.url });
    const job = await until(created.id, (s) => s === "SUCCESS" || s === "FAILED", 120_000);
    expect(job.status).toBe("SUCCESS");
    expect(statuses(job)).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "SUCCESS"]);
    const steps = (job.checkpoints ?? []).map((c) => c.stepNumber).sort((a, b) => a - b);
    expect(new Set(steps).size).toBe(steps.length);
    for (const c of before.checkpoints ?? []) expect(steps).toContain(c.stepNumber);
    expect(steps.at(-1)).toBe(300);
    const loss = losses(job);
    expect(loss.at(-1)!).toBeLessThan(loss[0]! * 0.8);
    expect(job.fineTunedModel).toMatch(/^ft:oai:bora:/);
  });
});
