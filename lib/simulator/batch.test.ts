import { Mistral } from "mistral-v1";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BatchLine } from "./batch-input";
import { linesDone, statusAt, type SimBatch } from "./batch-progress";
import { startSimulator, type Simulator } from "./server";

type Job = {
  id: string;
  object: string;
  status: string;
  model: string | null;
  input_files: string[];
  metadata: Record<string, unknown> | null;
  output_file: string | null;
  error_file: string | null;
  errors: { message: string; count: number }[];
  total_requests: number;
  completed_requests: number;
  succeeded_requests: number;
  failed_requests: number;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
};
type Result = { id: string; custom_id: string; response: { status_code: number; body: Record<string, unknown> }; error: { message: string; code: string } | null };

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
  await setRate(5000);
});

async function setRate(batchLinesPerSecond: number) {
  const res = await fetch(`${sim.url}/_sim/options`, { method: "POST", body: JSON.stringify({ batchLinesPerSecond }) });
  expect(((await res.json()) as { batchLinesPerSecond: number }).batchLinesPerSecond).toBe(batchLinesPerSecond);
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
const chatLine = (id: string, text: string, extra: Record<string, unknown> = {}) => ({ custom_id: id, body: { model: "sim-small", messages: [{ role: "user", content: text }], ...extra } });

async function upload(text: string, purpose = "batch"): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "application/jsonl" }), "requests.jsonl");
  form.append("purpose", purpose);
  const res = await fetch(`${sim.url}/v1/files`, { method: "POST", body: form });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const create = async (body: Record<string, unknown>) => call("POST", "/v1/batch/jobs", body);
const getJob = async (id: string) => (await call("GET", `/v1/batch/jobs/${id}`)).json as Job;

async function until(id: string, done: (j: Job) => boolean): Promise<Job> {
  const deadline = Date.now() + 10_000; // the CI machine is shared: generous
  for (;;) {
    const job = await getJob(id);
    if (done(job) || Date.now() > deadline) return job;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function download(fileId: string): Promise<Result[]> {
  const text = await (await fetch(`${sim.url}/v1/files/${fileId}/content`)).text();
  return text.trim().split("\n").map((l) => JSON.parse(l) as Result);
}

// What the endpoint itself answers, minus what differs on every call.
function stable(body: Record<string, unknown>) {
  const { id: _id, created: _created, ...rest } = body;
  return rest;
}

describe("a batch job's clock", () => {
  const line = (failure: string | null = null): BatchLine => ({ customId: "x", body: {}, failure });
  const job = (over: Partial<SimBatch> = {}): SimBatch => ({
    id: "b",
    inputFiles: [],
    endpoint: "/v1/chat/completions",
    model: null,
    metadata: null,
    lines: [line(), line(), line("no"), line()],
    lineMs: 10,
    timeoutMs: 3_600_000,
    createdMs: 1000,
    cancelMs: null,
    outputFile: null,
    errorFile: null,
    ...over,
  });

  it("queues for a tick, then does a line a tick, then succeeds", () => {
    const b = job();
    expect([statusAt(b, 1000), statusAt(b, 1009), statusAt(b, 1010), statusAt(b, 1049), statusAt(b, 1050)]).toEqual(["QUEUED", "QUEUED", "RUNNING", "RUNNING", "SUCCESS"]);
    expect([linesDone(b, 1009), linesDone(b, 1010), linesDone(b, 1020), linesDone(b, 1039), linesDone(b, 1050), linesDone(b, 9999)]).toEqual([0, 0, 1, 2, 4, 4]);
  });

  it("freezes its lines at a cancel and is CANCELLED a tick later", () => {
    const b = job({ cancelMs: 1035 });
    expect([statusAt(b, 1034), statusAt(b, 1035), statusAt(b, 1044), statusAt(b, 1045)]).toEqual(["RUNNING", "CANCELLATION_REQUESTED", "CANCELLATION_REQUESTED", "CANCELLED"]);
    expect(linesDone(b, Infinity)).toBe(2);
  });

  it("fails when every line failed, and times out at its deadline", () => {
    expect(statusAt(job({ lines: [line("no"), line("no")] }), 1030)).toBe("FAILED");
    const slow = job({ timeoutMs: 25 });
    expect([statusAt(slow, 1024), statusAt(slow, 1025)]).toEqual(["RUNNING", "TIMEOUT_EXCEEDED"]);
    expect(linesDone(slow, Infinity)).toBe(1);
  });

  it("does the last line at the end even when a tick is a fraction of a millisecond", () => {
    const b = job({ lineMs: 1000 / 3, lines: Array.from({ length: 3 }, () => line()) });
    expect(statusAt(b, 1000 + 4000 / 3)).toBe("SUCCESS");
    expect(linesDone(b, 1000 + 4000 / 3)).toBe(3);
  });
});

describe("the simulator's Batch API", () => {
  it("runs a chat batch to SUCCESS and writes what /v1/chat/completions answers, in input order", async () => {
    const tool = { type: "function", function: { name: "weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } };
    const rows = [chatLine("a", "Hello there"), chatLine("b", "Count to ten", { max_tokens: 3 }), chatLine("c", "Please FAIL this one"), chatLine("d", "Weather in Paris?", { tools: [tool] }), chatLine("e", "Bye")];
    const fileId = await upload(jsonl(rows));
    const created = await create({ input_files: [fileId], endpoint: "/v1/chat/completions", model: "sim-small", metadata: { run: "nightly" } });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ object: "batch", status: "QUEUED", input_files: [fileId], endpoint: "/v1/chat/completions", model: "sim-small", metadata: { run: "nightly" }, total_requests: 5, completed_requests: 0, succeeded_requests: 0, failed_requests: 0, errors: [], output_file: null, error_file: null, started_at: null, completed_at: null });

    const job = await until(created.json.id as string, (j) => j.status === "SUCCESS");
    expect(job).toMatchObject({ status: "SUCCESS", total_requests: 5, completed_requests: 5, succeeded_requests: 4, failed_requests: 1 });
    expect(job.errors).toEqual([{ message: "Simulated failure: the request asks for one (FAIL)", count: 1 }]);
    expect(job.started_at).toBeGreaterThanOrEqual(job.created_at);
    expect(job.completed_at).toBeGreaterThanOrEqual(job.started_at!);

    const output = await download(job.output_file!);
    expect(output.map((r) => r.custom_id)).toEqual(["a", "b", "d", "e"]);
    for (const [i, result] of output.entries()) {
      expect(result.id).toBe(`${job.id}:${[0, 1, 3, 4][i]}`);
      expect(result.error).toBeNull();
      expect(result.response.status_code).toBe(200);
      const direct = await call("POST", "/v1/chat/completions", rows.find((r) => r.custom_id === result.custom_id)!.body);
      expect(stable(result.response.body)).toEqual(stable(direct.json));
    }
    expect(output[1]!.response.body).toMatchObject({ choices: [{ finish_reason: "length" }], usage: { completion_tokens: 3 } });
    expect(output[2]!.response.body).toMatchObject({ choices: [{ finish_reason: "tool_calls", message: { tool_calls: [{ function: { name: "weather", arguments: '{"city":"sample"}' } }] } }] });

    expect(await download(job.error_file!)).toEqual([
      {
        id: `${job.id}:2`,
        custom_id: "c",
        response: { status_code: 400, body: { object: "error", message: "Simulated failure: the request asks for one (FAIL)", type: "invalid_request_error", param: null, code: "400" } },
        error: { message: "Simulated failure: the request asks for one (FAIL)", code: "400" },
      },
    ]);
    expect((await call("GET", `/v1/files/${job.output_file}`)).json).toMatchObject({ purpose: "batch", sample_type: "batch_result", num_lines: 4, filename: `batch-${job.id}-output.jsonl` });
    expect((await call("GET", `/v1/files/${job.error_file}`)).json).toMatchObject({ purpose: "batch", sample_type: "batch_error", num_lines: 1 });
    // The same job read again: the files are written once.
    expect(await getJob(job.id)).toMatchObject({ output_file: job.output_file, error_file: job.error_file });
    const listed = (await call("GET", "/v1/files?purpose=batch")).json as { total: number };
    expect(listed.total).toBe(3);

    // A job that succeeded cannot be cancelled.
    expect(await call("POST", `/v1/batch/jobs/${job.id}/cancel`)).toMatchObject({ status: 400, json: { message: `Batch job ${job.id} is SUCCESS and cannot be cancelled` } });

    // Mutations are recorded, polls are not.
    const log = sim.requests.filter((r) => r.path.startsWith("/v1/batch"));
    expect(log).toEqual([
      expect.objectContaining({ method: "POST", path: "/v1/batch/jobs", body: expect.objectContaining({ input_files: [fileId], model: "sim-small" }) }),
      expect.objectContaining({ method: "POST", path: `/v1/batch/jobs/${job.id}/cancel` }),
    ]);
  });

  it("gives FIM and embeddings lines the job's model and the endpoint's answers", async () => {
    const fim = await upload(jsonl([{ custom_id: "f1", body: { prompt: "def add(a, b):", suffix: "" } }]));
    const fimJob = await create({ input_files: [fim], endpoint: "/v1/fim/completions", model: "sim-code" });
    const embed = await upload(jsonl([{ custom_id: "e1", body: { input: ["one", "two"], output_dimension: 8 } }, { custom_id: "e2", body: { input: "FAIL" } }]));
    const embedJob = await create({ input_files: [embed], endpoint: "/v1/embeddings", model: "sim-embed" });

    const doneFim = await until(fimJob.json.id as string, (j) => j.status === "SUCCESS");
    const [fimResult] = await download(doneFim.output_file!);
    const direct = await call("POST", "/v1/fim/completions", { model: "sim-code", prompt: "def add(a, b):", suffix: "" });
    expect(stable(fimResult!.response.body)).toEqual(stable(direct.json));
    expect(fimResult!.response.body.model).toBe("sim-code");

    const doneEmbed = await until(embedJob.json.id as string, (j) => j.status === "SUCCESS");
    expect(doneEmbed).toMatchObject({ succeeded_requests: 1, failed_requests: 1 });
    const [embedResult] = await download(doneEmbed.output_file!);
    const directEmbed = await call("POST", "/v1/embeddings", { model: "sim-embed", input: ["one", "two"], output_dimension: 8 });
    expect(stable(embedResult!.response.body)).toEqual(stable(directEmbed.json));
    expect((await download(doneEmbed.error_file!)).map((r) => r.custom_id)).toEqual(["e2"]);
  });

  it("refuses unknown files (404) and bad lines (422), naming the file and line", async () => {
    expect(await create({ input_files: ["00000000-0000-0000-0000-000000000000"], endpoint: "/v1/chat/completions", model: "sim-small" })).toMatchObject({ status: 404, json: { message: "File 00000000-0000-0000-0000-000000000000 not found" } });
    const good = await upload(jsonl([chatLine("a", "hi")]));
    const bad = await upload(`${JSON.stringify(chatLine("a", "hi"))}\n\nnot json\n${JSON.stringify({ custom_id: "b", body: { model: "sim-small", messages: [] } })}\n${JSON.stringify(chatLine("a", "again"))}\n`);
    const refused = await create({ input_files: [bad], endpoint: "/v1/chat/completions" });
    expect(refused.status).toBe(422);
    expect(refused.json.message).toBe(`file ${bad} line 3: not valid JSON; file ${bad} line 4: body.messages: must be a non-empty list; file ${bad} line 5: custom_id "a" repeats file ${bad} line 1`);
    // A custom_id repeated across files is refused too.
    expect((await create({ input_files: [good, good], endpoint: "/v1/chat/completions" })).json.message).toBe(`file ${good} line 1: custom_id "a" repeats file ${good} line 1`);
    const modelless = await upload(jsonl([{ custom_id: "a", body: { messages: [{ role: "user", content: "hi" }] } }]));
    expect((await create({ input_files: [modelless], endpoint: "/v1/chat/completions" })).json.message).toBe(`file ${modelless} line 1: body.model: Field required (in the line or in the job)`);
    expect((await create({ input_files: [good], endpoint: "/v1/ocr" })).status).toBe(422);
    const tuning = await upload(jsonl([{ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "yo" }] }]), "fine-tune");
    expect((await create({ input_files: [tuning], endpoint: "/v1/chat/completions" })).json).toMatchObject({ message: `File ${tuning} has purpose fine-tune, not batch` });
    expect((await call("GET", "/v1/batch/jobs")).json).toMatchObject({ total: 0 });
  });

  it("cancels mid-way: counts stop, and the results hold the lines done so far", async () => {
    await setRate(20); // 50 ms a line: 20 lines take a second
    const rows = Array.from({ length: 20 }, (_, i) => chatLine(`c${i}`, i === 1 ? "FAIL here" : `line ${i}`));
    const created = await create({ input_files: [await upload(jsonl(rows))], endpoint: "/v1/chat/completions", model: "sim-small" });
    const running = await until(created.json.id as string, (j) => j.completed_requests >= 3);
    expect(running.status).toBe("RUNNING");
    const cancelled = await call("POST", `/v1/batch/jobs/${running.id}/cancel`);
    expect(cancelled.json).toMatchObject({ status: "CANCELLATION_REQUESTED", output_file: null });
    const kept = cancelled.json.completed_requests as number;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(20);

    const done = await until(running.id, (j) => j.status === "CANCELLED");
    expect(done).toMatchObject({ status: "CANCELLED", total_requests: 20, completed_requests: kept, succeeded_requests: kept - 1, failed_requests: 1 });
    expect((await download(done.output_file!)).map((r) => r.custom_id)).toEqual(rows.slice(0, kept).map((r) => r.custom_id).filter((id) => id !== "c1"));
    expect((await download(done.error_file!)).map((r) => r.custom_id)).toEqual(["c1"]);
    // Cancelling again changes nothing.
    expect(await call("POST", `/v1/batch/jobs/${done.id}/cancel`)).toMatchObject({ status: 200, json: { status: "CANCELLED", completed_requests: kept } });
    expect(sim.requests.filter((r) => r.path.startsWith("/v1/batch")).map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/batch/jobs", `POST /v1/batch/jobs/${done.id}/cancel`, `POST /v1/batch/jobs/${done.id}/cancel`]);
  });

  it("lists newest first, by page, model and status", async () => {
    await setRate(0.1); // a ten-second tick: every job stays where the test puts it
    const file = await upload(jsonl([chatLine("a", "hi")]));
    const ids: string[] = [];
    for (const model of ["sim-small", "sim-large", "sim-small"]) ids.push((await create({ input_files: [file], endpoint: "/v1/chat/completions", model })).json.id as string);
    await call("POST", `/v1/batch/jobs/${ids[0]}/cancel`);
    const list = async (query: string) => (await call("GET", `/v1/batch/jobs${query}`)).json as { object: string; data: Job[]; total: number };

    expect(await list("")).toMatchObject({ object: "list", total: 3, data: [{ id: ids[2] }, { id: ids[1] }, { id: ids[0] }] });
    expect((await list("?order_by=created")).data.map((j) => j.id)).toEqual(ids);
    expect(await list("?page_size=2&page=1")).toMatchObject({ total: 3, data: [{ id: ids[0] }] });
    expect(await list("?model=sim-large")).toMatchObject({ total: 1, data: [{ id: ids[1], model: "sim-large" }] });
    expect(await list("?status=CANCELLATION_REQUESTED")).toMatchObject({ total: 1, data: [{ id: ids[0] }] });
    expect((await list("?status=QUEUED&model=sim-small")).data.map((j) => j.id)).toEqual([ids[2]]);
    expect((await list("?status=QUEUED,CANCELLATION_REQUESTED")).total).toBe(3);
    expect((await call("GET", "/v1/batch/jobs?status=DONE")).status).toBe(422);
    expect((await call("GET", "/v1/batch/jobs/nope")).status).toBe(404);
  });

  it("works through the official client (@mistralai/mistralai 1.x)", async () => {
    const client = new Mistral({ apiKey: "x", serverURL: sim.url });
    const content = new TextEncoder().encode(jsonl([chatLine("q1", "Hi"), chatLine("q2", "FAIL"), chatLine("q3", "Hello")]));
    const file = await client.files.upload({ file: { fileName: "requests.jsonl", content }, purpose: "batch" });
    expect(file).toMatchObject({ purpose: "batch", sampleType: "batch_request", numLines: 3 });

    const created = await client.batch.jobs.create({ inputFiles: [file.id], endpoint: "/v1/chat/completions", model: "sim-small", metadata: { team: "evals" } });
    expect(created).toMatchObject({ object: "batch", status: "QUEUED", inputFiles: [file.id], totalRequests: 3, metadata: { team: "evals" } });
    let job = created;
    for (const deadline = Date.now() + 10_000; job.status !== "SUCCESS" && Date.now() < deadline; ) job = await client.batch.jobs.get({ jobId: created.id });
    expect(job).toMatchObject({ status: "SUCCESS", completedRequests: 3, succeededRequests: 2, failedRequests: 1, errors: [{ count: 1 }] });

    const text = await new Response(await client.files.download({ fileId: job.outputFile! })).text();
    const results = text.trim().split("\n").map((l) => JSON.parse(l) as Result);
    expect(results.map((r) => [r.custom_id, r.response.status_code])).toEqual([["q1", 200], ["q3", 200]]);
    expect(results[0]!.response.body).toMatchObject({ object: "chat.completion", choices: [{ message: { content: "Hello from the simulator. You said: Hi" } }] });

    await setRate(1);
    const slow = await client.batch.jobs.create({ inputFiles: [file.id], endpoint: "/v1/chat/completions", model: "sim-large" });
    expect(await client.batch.jobs.cancel({ jobId: slow.id })).toMatchObject({ id: slow.id, status: "CANCELLATION_REQUESTED" });
    const listed = await client.batch.jobs.list({ status: ["SUCCESS"] });
    expect(listed.total).toBe(1);
    expect(listed.data?.map((j) => j.id)).toEqual([created.id]);
    expect((await client.batch.jobs.list({ model: "sim-large" })).data?.map((j) => j.status)).toEqual(["CANCELLATION_REQUESTED"]);
  });
});
