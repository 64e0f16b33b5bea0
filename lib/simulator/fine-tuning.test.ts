import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./server";

type Job = {
  id: string;
  object: string;
  job_type: string;
  status: string;
  model: string;
  auto_start: boolean;
  created_at: number;
  modified_at: number;
  training_files: string[];
  validation_files: string[];
  fine_tuned_model: string | null;
  suffix: string | null;
  trained_tokens: number | null;
  hyperparameters: Record<string, number | null>;
  metadata: Record<string, number | string | null>;
  events?: { name: string; data: { status: string; error?: string }; created_at: number }[];
  checkpoints?: { metrics: { train_loss: number; valid_loss: number | null; valid_mean_token_accuracy: number | null }; step_number: number; created_at: number }[];
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sample = (q: string, a: string) => JSON.stringify({ messages: [{ role: "user", content: q }, { role: "assistant", content: a }] });
const jsonl = [sample("Hi", "Hello!"), sample("2+2?", "4"), sample("Capital of France?", "Paris")].join("\n");

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, fineTuneStepMs: 20 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
  sim.options.fineTuneStepMs = 20;
});

async function upload(text = jsonl): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([text]), "train.jsonl");
  form.append("purpose", "fine-tune");
  return ((await (await fetch(`${sim.url}/v1/files`, { method: "POST", body: form })).json()) as { id: string }).id;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Job & { message?: string } }> {
  const res = await fetch(`${sim.url}${path}`, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as Job & { message?: string } };
}

async function create(body: Record<string, unknown>): Promise<Job> {
  const res = await call("POST", "/v1/fine_tuning/jobs", { model: "sim-small", ...body });
  expect(res.status).toBe(200);
  return res.body;
}

/** Polls the job as Bora's trainer does, noting every status seen, until `done` holds. */
async function poll(id: string, done: (job: Job) => boolean, seen: string[] = []): Promise<Job> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { status, body } = await call("GET", `/v1/fine_tuning/jobs/${id}`);
    expect(status).toBe(200);
    if (seen.at(-1) !== body.status) seen.push(body.status);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${body.status}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const order = ["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "SUCCESS"];

describe("the simulator's fine-tuning jobs", () => {
  it("runs a job to SUCCESS with falling loss, then serves the fine-tuned model", async () => {
    const training = await upload();
    const validation = await upload();
    const before = Math.floor(Date.now() / 1000);
    const job = await create({ training_files: [{ file_id: training, weight: 1 }], validation_files: [validation], suffix: "support", hyperparameters: { training_steps: 5, learning_rate: 0.0002 } });
    expect(job).toMatchObject({ object: "job", job_type: "completion", status: "QUEUED", model: "sim-small", auto_start: true, training_files: [training], validation_files: [validation], suffix: "support", fine_tuned_model: null, trained_tokens: null });
    expect(job.id).toMatch(uuid);
    expect(job.created_at).toBeGreaterThanOrEqual(before);
    expect(job.hyperparameters).toMatchObject({ training_steps: 5, learning_rate: 0.0002 });
    expect(job.metadata).toMatchObject({ train_tokens_per_step: 1024, train_tokens: 5 * 1024, cost_currency: "USD" });
    expect(job).not.toHaveProperty("events");

    const seen: string[] = [];
    const done = await poll(job.id, (j) => j.status === "SUCCESS", seen);
    // Whatever the polls caught, it came in order.
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe("SUCCESS");
    // Events and checkpoints come newest first, as on La Plateforme.
    expect(done.events!.map((e) => e.data.status).reverse()).toEqual(order);
    expect(done.events!.every((e) => e.name === "status-updated" && Number.isInteger(e.created_at))).toBe(true);
    const checkpoints = [...done.checkpoints!].reverse();
    expect(checkpoints.map((c) => c.step_number)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < checkpoints.length; i++) {
      expect(checkpoints[i]!.metrics.train_loss).toBeLessThan(checkpoints[i - 1]!.metrics.train_loss);
      expect(checkpoints[i]!.metrics.valid_loss!).toBeLessThan(checkpoints[i - 1]!.metrics.valid_loss!);
    }
    expect(checkpoints[0]!.metrics.valid_mean_token_accuracy).toBeGreaterThan(0);
    expect(done.fine_tuned_model).toBe(`ft:sim-small:support:${job.id.slice(0, 8)}`);
    expect(done.trained_tokens).toBe(5 * 1024);
    expect(done.modified_at).toBeGreaterThanOrEqual(done.created_at);

    const model = done.fine_tuned_model!;
    const chat = await call("POST", "/v1/chat/completions", { model, messages: [{ role: "user", content: "Hello" }] });
    expect(chat.status).toBe(200);
    expect(chat.body).toMatchObject({ model, choices: [{ message: { role: "assistant", content: "Hello from the simulator. You said: Hello" } }] });
    const fim = await call("POST", "/v1/fim/completions", { model, prompt: "const x", suffix: "" });
    expect(fim.status).toBe(200);
    const models = (await (await fetch(`${sim.url}/v1/models`)).json()) as { data: { id: string; type?: string; job?: string; root?: string; capabilities?: Record<string, boolean> }[] };
    expect(models.data.find((m) => m.id === model)).toMatchObject({ type: "fine-tuned", job: job.id, root: "sim-small", capabilities: { completion_chat: true } });
    expect(models.data.find((m) => m.id === "sim-small")).toBeDefined();
  });

  it("refuses a fine-tuned model no job produced", async () => {
    const res = await call("POST", "/v1/chat/completions", { model: "ft:sim-small:sim:deadbeef", messages: [{ role: "user", content: "Hi" }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ object: "error", message: "Invalid model: ft:sim-small:sim:deadbeef" });
  });

  it("stops at VALIDATED without auto_start until /start", async () => {
    const job = await create({ training_files: [{ file_id: await upload() }], auto_start: false, hyperparameters: { training_steps: 3 } });
    expect(job.auto_start).toBe(false);
    await poll(job.id, (j) => j.status === "VALIDATED");
    await new Promise((r) => setTimeout(r, 150)); // seven steps: an auto-started job would be done
    const waiting = await call("GET", `/v1/fine_tuning/jobs/${job.id}`);
    expect(waiting.body).toMatchObject({ status: "VALIDATED", checkpoints: [] });
    const started = await call("POST", `/v1/fine_tuning/jobs/${job.id}/start`);
    expect(started.status).toBe(200);
    expect(started.body.status).toBe("RUNNING");
    expect((await call("POST", `/v1/fine_tuning/jobs/${job.id}/start`)).status).toBe(400);
    const done = await poll(job.id, (j) => j.status === "SUCCESS");
    expect(done.events!.map((e) => e.data.status).reverse()).toEqual(order);
    expect(done.checkpoints).toHaveLength(3);
  });

  it("cancels a running job: CANCELLATION_REQUESTED, then CANCELLED, with no model", async () => {
    const job = await create({ training_files: [{ file_id: await upload() }], hyperparameters: { training_steps: 50 } }); // a second of training
    await poll(job.id, (j) => j.status === "RUNNING" && j.checkpoints!.length > 0);
    const cancelling = await call("POST", `/v1/fine_tuning/jobs/${job.id}/cancel`);
    expect(cancelling.status).toBe(200);
    expect(cancelling.body.status).toBe("CANCELLATION_REQUESTED");
    const cancelled = await poll(job.id, (j) => j.status === "CANCELLED");
    expect(cancelled.events!.map((e) => e.data.status).reverse()).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "CANCELLATION_REQUESTED", "CANCELLED"]);
    expect(cancelled.fine_tuned_model).toBeNull();
    expect(cancelled.checkpoints!.length).toBeGreaterThan(0);
    expect(cancelled.checkpoints![0]!.step_number).toBeLessThan(50);
    // Frozen: no more checkpoints after the cancel; a second cancel changes nothing.
    await new Promise((r) => setTimeout(r, 60));
    const again = await call("POST", `/v1/fine_tuning/jobs/${job.id}/cancel`);
    expect(again.body).toMatchObject({ status: "CANCELLED", checkpoints: cancelled.checkpoints });
  });

  it("fails validation on bad samples, naming the lines, unless within invalid_sample_skip_percentage", async () => {
    const bad = await upload([sample("Hi", "Hello"), "not json", JSON.stringify({ messages: [{ role: "user", content: "no answer" }] }), sample("a", "b")].join("\n"));
    const job = await create({ training_files: [{ file_id: bad }] });
    const failed = await poll(job.id, (j) => j.status === "FAILED_VALIDATION");
    expect(failed.events![0]!.data.error).toBe("2 invalid samples: line 2: not valid JSON; line 3: no assistant message to learn from");
    expect(failed.events!.map((e) => e.data.status).reverse()).toEqual(["QUEUED", "VALIDATING", "FAILED_VALIDATION"]);
    expect((await call("POST", `/v1/fine_tuning/jobs/${job.id}/cancel`)).status).toBe(400);
    const lenient = await create({ training_files: [{ file_id: bad }], invalid_sample_skip_percentage: 50, hyperparameters: { training_steps: 1 } });
    expect((await poll(lenient.id, (j) => ["SUCCESS", "FAILED_VALIDATION"].includes(j.status))).status).toBe("SUCCESS");
  });

  it("rejects unknown files with 404 and malformed requests with 422 naming the field", async () => {
    const missing = await call("POST", "/v1/fine_tuning/jobs", { model: "sim-small", training_files: [{ file_id: "00000000-0000-4000-8000-000000000000" }] });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ object: "error", message: "File 00000000-0000-4000-8000-000000000000 not found", type: "invalid_request_error", code: "404" });
    const file = await upload();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ training_files: [{ file_id: file }] }, /^model:/],
      [{ model: "sim-small", training_files: [] }, /^training_files:/],
      [{ model: "sim-small", training_files: [{ file_id: file }], hyperparameters: { training_steps: 0 } }, /^hyperparameters\.training_steps:/],
      [{ model: "sim-small", training_files: [{ file_id: file }], auto_start: "yes" }, /^auto_start:/],
    ];
    for (const [body, message] of cases) {
      const res = await call("POST", "/v1/fine_tuning/jobs", body);
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(message);
    }
    expect((await call("GET", "/v1/fine_tuning/jobs/nope")).status).toBe(404);
  });

  it("lists jobs newest first, filtered by model, status and creation time, a page at a time", async () => {
    const file = await upload();
    const first = await create({ training_files: [{ file_id: file }], hyperparameters: { training_steps: 1 } });
    const second = await create({ model: "sim-large", training_files: [{ file_id: file }], auto_start: false });
    await poll(first.id, (j) => j.status === "SUCCESS");
    await poll(second.id, (j) => j.status === "VALIDATED");
    const list = async (query: string) => (await call("GET", `/v1/fine_tuning/jobs${query}`)).body as unknown as { object: string; total: number; data: Job[] };
    const all = await list("");
    expect(all.object).toBe("list");
    expect(all.data.map((j) => j.id)).toEqual([second.id, first.id]);
    expect(all.data[0]).not.toHaveProperty("checkpoints");
    expect((await list("?model=sim-large")).data.map((j) => j.id)).toEqual([second.id]);
    expect((await list("?status=SUCCESS")).data.map((j) => j.id)).toEqual([first.id]);
    expect((await list(`?created_after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).total).toBe(0);
    expect((await list(`?created_after=${first.created_at - 1}`)).total).toBe(2);
    expect(await list("?page=1&page_size=1")).toMatchObject({ total: 2, data: [{ id: first.id }] });
    expect((await call("GET", "/v1/fine_tuning/jobs?status=DONE")).status).toBe(422);
  });

  it("fails a job GET once on a queued 500 fault, for the job's model or any model", async () => {
    const job = await create({ training_files: [{ file_id: await upload() }] });
    await call("POST", "/_sim/faults", { kind: "500", times: 1, model: "sim-large" }); // another model's: untouched
    await call("POST", "/_sim/faults", { kind: "500", times: 1, model: "sim-small" });
    const failed = await call("GET", `/v1/fine_tuning/jobs/${job.id}`);
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ object: "error", message: "Simulated 500" });
    expect((await call("GET", `/v1/fine_tuning/jobs/${job.id}`)).status).toBe(200);
    expect(sim.faults).toHaveLength(1);
  });

  it("takes its pace from fineTuneStepMs, settable through POST /_sim/options", async () => {
    const options = await call("POST", "/_sim/options", { fineTuneStepMs: 60_000 });
    expect(options.body).toMatchObject({ fineTuneStepMs: 60_000 });
    expect(sim.options.fineTuneStepMs).toBe(60_000);
    const slow = await create({ training_files: [{ file_id: await upload() }] });
    await new Promise((r) => setTimeout(r, 80));
    expect((await call("GET", `/v1/fine_tuning/jobs/${slow.id}`)).body.status).toBe("QUEUED");
    expect(slow.metadata.expected_duration_seconds).toBe((3 + 10) * 60); // ten steps by default
  });

  it("answers a dry run with the job's metadata and creates nothing", async () => {
    const res = await call("POST", "/v1/fine_tuning/jobs?dry_run=true", { model: "sim-small", training_files: [{ file_id: await upload() }], hyperparameters: { training_steps: 4 } });
    expect(res.body).toMatchObject({ object: "job.metadata", training_steps: 4, train_tokens: 4 * 1024, details: "" });
    expect(((await call("GET", "/v1/fine_tuning/jobs")).body as unknown as { total: number }).total).toBe(0);
  });
});
