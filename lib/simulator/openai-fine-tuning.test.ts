// OpenAI's files and fine-tuning APIs on the simulator's OpenAI dialect: by hand over HTTP, and
// through the official `openai` client (v5), whose types the answers must fit.
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./server";

type Job = {
  id: string;
  object: string;
  status: string;
  model: string;
  fine_tuned_model: string | null;
  trained_tokens: number | null;
  finished_at: number | null;
  training_file: string;
  validation_file: string | null;
  hyperparameters: { n_epochs: number; batch_size: number; learning_rate_multiplier: number };
  method: { type: string };
  error: { code: string; message: string; param: string | null } | null;
};
type List<T> = { object: string; data: T[]; has_more: boolean };
type Checkpoint = { id: string; step_number: number; fine_tuned_model_checkpoint: string; metrics: { step: number; train_loss: number; valid_loss?: number; full_valid_loss?: number; full_valid_mean_token_accuracy?: number } };
type Event = { id: string; object: string; level: string; message: string; type: string; data: Record<string, unknown> };

const sample = (i: number) => JSON.stringify({ messages: [{ role: "user", content: `What is ${i} plus ${i}?` }, { role: "assistant", content: `${i + i}.` }] });
const jsonl = Array.from({ length: 12 }, (_, i) => sample(i)).join("\n");
const base = "/openai/v1";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
  Object.assign(sim.options, { fineTuneStepMs: 10, openaiFineTuning: true });
});

async function upload(text = jsonl, purpose = "fine-tune"): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([text]), "train.jsonl");
  form.append("purpose", purpose);
  const res = await fetch(`${sim.url}${base}/files`, { method: "POST", body: form });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sim.url}${base}${path}`, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as T };
}

async function poll(id: string, done: (job: Job) => boolean, seen: string[] = []): Promise<Job> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { status, body } = await call<Job>("GET", `/fine_tuning/jobs/${id}`);
    expect(status).toBe(200);
    if (seen.at(-1) !== body.status) seen.push(body.status);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${body.status}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const order = ["validating_files", "queued", "running", "succeeded"];

describe("OpenAI's fine-tuning API on the simulator", () => {
  it("is off unless asked for, as on most OpenAI-compatible servers", async () => {
    sim.options.openaiFineTuning = false;
    expect((await fetch(`${sim.url}${base}/files`)).status).toBe(404);
    expect((await fetch(`${sim.url}${base}/fine_tuning/jobs?limit=1`)).status).toBe(404);
    // Then fine-tuned names are any server's to load: they pass.
    expect((await call("POST", "/chat/completions", { model: "ft:whatever", messages: [{ role: "user", content: "Hi" }] })).status).toBe(200);
  });

  it("trains to succeeded with falling loss, logs events, and serves the fine-tuned model", async () => {
    const training = await upload();
    const validation = await upload();
    const created = await call<Job>("POST", "/fine_tuning/jobs", { model: "sim-small", training_file: training, validation_file: validation, suffix: "math", hyperparameters: { n_epochs: 2, batch_size: 3 } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: "fine_tuning.job", status: "validating_files", model: "sim-small", training_file: training, validation_file: validation, fine_tuned_model: null, trained_tokens: null, finished_at: null, error: null });
    expect(created.body.id).toMatch(/^ftjob-[0-9a-f]{24}$/);
    // "auto" resolves to a number; the method form echoes the same.
    expect(created.body.hyperparameters).toEqual({ n_epochs: 2, batch_size: 3, learning_rate_multiplier: 1.8 });
    expect(created.body.method).toEqual({ type: "supervised", supervised: { hyperparameters: created.body.hyperparameters } });

    const seen: string[] = [];
    const done = await poll(created.body.id, (j) => j.status === "succeeded", seen);
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort((a, b) => a - b));
    expect(done.fine_tuned_model).toBe(`ft:sim-small:simulator:math:${created.body.id.slice(6, 14)}`);
    expect(done.trained_tokens).toBeGreaterThan(0);
    expect(done.finished_at).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);

    // 12 examples, batches of 3, 2 epochs: 8 steps; checkpoints newest first, loss falling.
    const { body: checkpoints } = await call<List<Checkpoint> & { first_id: string; last_id: string }>("GET", `/fine_tuning/jobs/${done.id}/checkpoints`);
    const steps = [...checkpoints.data].reverse();
    expect(steps.at(-1)!.step_number).toBe(8);
    expect(checkpoints.first_id).toBe(checkpoints.data[0]!.id);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.metrics.train_loss).toBeLessThan(steps[i - 1]!.metrics.train_loss);
    expect(steps[0]!.metrics).toMatchObject({ step: steps[0]!.step_number, full_valid_loss: expect.any(Number), full_valid_mean_token_accuracy: expect.any(Number) });
    expect(steps.at(-1)!.fine_tuned_model_checkpoint).toBe(`${done.fine_tuned_model}:ckpt-step-8`);

    const { body: events } = await call<List<Event>>("GET", `/fine_tuning/jobs/${done.id}/events?limit=100`);
    const log = [...events.data].reverse();
    expect(log[0]!.message).toBe(`Created fine-tuning job: ${done.id}`);
    expect(log.at(-1)!.message).toContain(done.fine_tuned_model!);
    expect(log.filter((e) => e.type === "metrics").map((e) => e.data.step)).toEqual(steps.map((c) => c.step_number));
    expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
    // Cursor pages: two at a time, the second after the first's last.
    const first = await call<List<Event>>("GET", `/fine_tuning/jobs/${done.id}/events?limit=2`);
    const second = await call<List<Event>>("GET", `/fine_tuning/jobs/${done.id}/events?limit=2&after=${first.body.data[1]!.id}`);
    expect(first.body.has_more).toBe(true);
    expect([...first.body.data, ...second.body.data].map((e) => e.id)).toEqual(events.data.slice(0, 4).map((e) => e.id));

    const chat = await call<{ model: string; choices: { message: { content: string } }[] }>("POST", "/chat/completions", { model: done.fine_tuned_model, messages: [{ role: "user", content: "Hello" }] });
    expect(chat.status).toBe(200);
    expect(chat.body.model).toBe(done.fine_tuned_model);
    expect(chat.body.choices[0]!.message.content).toBe("Hello from the simulator. You said: Hello");
    const unknown = await call<{ error: { message: string } }>("POST", "/chat/completions", { model: "ft:sim-small:simulator::deadbeef", messages: [{ role: "user", content: "Hi" }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/does not exist/);
  });

  it("takes the method form, and fails a job whose data will not train", async () => {
    const good = await upload();
    const viaMethod = await call<Job>("POST", "/fine_tuning/jobs", { model: "sim-small", training_file: good, method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 1, learning_rate_multiplier: 0.5 } } } });
    expect(viaMethod.body.hyperparameters).toMatchObject({ n_epochs: 1, learning_rate_multiplier: 0.5 });
    expect((await poll(viaMethod.body.id, (j) => j.status === "succeeded")).fine_tuned_model).toMatch(/^ft:sim-small:simulator::/);

    const few = await upload(jsonl.split("\n").slice(0, 3).join("\n"));
    const small = await call<Job>("POST", "/fine_tuning/jobs", { model: "sim-small", training_file: few });
    const failed = await poll(small.body.id, (j) => j.status === "failed");
    expect(failed.error).toMatchObject({ code: "invalid_training_file", param: "training_file" });
    expect(failed.error!.message).toMatch(/at least 10 examples/);
    const noAnswer = await upload(jsonl + "\n" + JSON.stringify({ messages: [{ role: "user", content: "no answer" }] }));
    const bad = await call<Job>("POST", "/fine_tuning/jobs", { model: "sim-small", training_file: noAnswer });
    expect((await poll(bad.body.id, (j) => j.status === "failed")).error!.message).toMatch(/line 13/);
  });

  it("refuses bad requests with a 400, and cancels once", async () => {
    const file = await upload();
    const batch = await upload(jsonl, "batch");
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ training_file: file }, /model/],
      [{ model: "sim-small" }, /training_file/],
      [{ model: "sim-small", training_file: "file-nope" }, /invalid training_file/],
      [{ model: "sim-small", training_file: batch }, /not fine-tune/],
      [{ model: "sim-small", training_file: file, hyperparameters: { n_epochs: 0 } }, /n_epochs/],
      [{ model: "sim-small", training_file: file, hyperparameters: { batch_size: 2.5 } }, /batch_size/],
      [{ model: "sim-small", training_file: file, method: { type: "dpo" } }, /supervised/],
    ];
    for (const [body, message] of refusals) {
      const res = await call<{ error: { message: string } }>("POST", "/fine_tuning/jobs", body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    sim.options.fineTuneStepMs = 1000;
    const job = await call<Job>("POST", "/fine_tuning/jobs", { model: "sim-small", training_file: file });
    const cancelled = await call<Job>("POST", `/fine_tuning/jobs/${job.body.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: "cancelled", fine_tuned_model: null });
    expect(cancelled.body.finished_at).not.toBeNull();
    expect((await call("POST", `/fine_tuning/jobs/${job.body.id}/cancel`)).status).toBe(400);
    expect((await call("GET", "/fine_tuning/jobs/ftjob-nope")).status).toBe(404);
  });

  it("fails one job GET with a queued fault, so a poller's retry can be tested", async () => {
    const job = await call<Job>("POST", "/fine_tuning/jobs", { model: "sim-small", training_file: await upload() });
    await fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ kind: "503", model: "sim-small", times: 1 }) });
    expect((await call("GET", `/fine_tuning/jobs/${job.body.id}`)).status).toBe(503);
    expect((await call("GET", `/fine_tuning/jobs/${job.body.id}`)).status).toBe(200);
  });

  it("keeps its files and jobs behind the API key, apart from La Plateforme's", async () => {
    const id = await upload();
    expect((await fetch(`${sim.url}/v1/files/${id}`)).status).toBe(404);
    sim.options.apiKey = "secret";
    try {
      expect((await fetch(`${sim.url}${base}/fine_tuning/jobs`)).status).toBe(401);
      expect((await fetch(`${sim.url}${base}/fine_tuning/jobs`, { headers: { authorization: "Bearer secret" } })).status).toBe(200);
    } finally {
      delete sim.options.apiKey;
    }
  });
});

describe("the simulator through the official openai client (v5)", () => {
  it("uploads, creates, retrieves, lists checkpoints and events, and cancels", async () => {
    const client = new OpenAI({ apiKey: "sim-key", baseURL: `${sim.url}${base}`, maxRetries: 0 });
    const file = await client.files.create({ file: new File([jsonl], "train.jsonl"), purpose: "fine-tune" });
    expect(file).toMatchObject({ object: "file", filename: "train.jsonl", purpose: "fine-tune", bytes: Buffer.byteLength(jsonl) });

    const job = await client.fineTuning.jobs.create({ model: "sim-small", training_file: file.id, suffix: "sdk", method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 1, batch_size: 2 } } } });
    expect(job).toMatchObject({ object: "fine_tuning.job", status: "validating_files", training_file: file.id, hyperparameters: { n_epochs: 1, batch_size: 2 } });
    const listed = await client.fineTuning.jobs.list({ limit: 1 });
    expect(listed.data.map((j) => j.id)).toEqual([job.id]);

    const deadline = Date.now() + 5000;
    let current = job;
    while (current.status !== "succeeded" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      current = await client.fineTuning.jobs.retrieve(job.id);
    }
    expect(current.status).toBe("succeeded");
    expect(current.fine_tuned_model).toMatch(/^ft:sim-small:simulator:sdk:/);
    const checkpoints = await client.fineTuning.jobs.checkpoints.list(job.id);
    expect(checkpoints.data[0]).toMatchObject({ object: "fine_tuning.job.checkpoint", fine_tuning_job_id: job.id, step_number: 6 });
    expect(checkpoints.data.at(-1)!.metrics.train_loss!).toBeGreaterThan(checkpoints.data[0]!.metrics.train_loss!);
    const events = await client.fineTuning.jobs.listEvents(job.id, { limit: 50 });
    expect(events.data.every((e) => e.object === "fine_tuning.job.event" && ["info", "warn", "error"].includes(e.level))).toBe(true);
    const answer = await client.chat.completions.create({ model: current.fine_tuned_model!, messages: [{ role: "user", content: "Hi" }] });
    expect(answer.choices[0]!.message.content).toBe("Hello from the simulator. You said: Hi");

    sim.options.fineTuneStepMs = 1000;
    const slow = await client.fineTuning.jobs.create({ model: "sim-small", training_file: file.id });
    const cancelled = await client.fineTuning.jobs.cancel(slow.id);
    expect(cancelled.status).toBe("cancelled");
    await expect(client.fineTuning.jobs.cancel(slow.id)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    expect((await client.fineTuning.jobs.retrieve(slow.id)).status).toBe("cancelled");
  });
});
