// Batch jobs through Bora against the simulator: the official client, validation with line
// numbers, injected failures landing exactly in the error file, retries, the batch price, the
// batch lane leaving room for interactive requests, and cancel with partial results.
import { Mistral } from "@mistralai/mistralai";
import { Mistral as MistralV1 } from "mistral-v1";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchJobs, usageEvents } from "@/db/schema";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture & { env: Record<string, string> };
let client: MistralV1;

beforeAll(async () => {
  fx = await startGatewayFixture();
  client = new MistralV1({ apiKey: fx.key, serverURL: fx.bora.url });
});
afterAll(() => fx.close());

const line = (i: number) => JSON.stringify({ custom_id: `req-${i}`, body: { messages: [{ role: "user", content: `Line ${i}` }], max_tokens: 20 } });

async function until(id: string, done: (s: string) => boolean, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await client.batch.jobs.get({ jobId: id });
    if (done(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${job.status} (${job.completedRequests}/${job.totalRequests})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function download(fileId: string): Promise<{ custom_id: string; response: { status_code: number; body: { choices: { message: { content: string } }[] } } | null; error: { message: string; code: string } | null }[]> {
  const text = await new Response(await client.files.download({ fileId })).text();
  return text.trim().split("\n").map((l) => JSON.parse(l));
}

describe("batch jobs", () => {
  it("runs a 10,000-line file with 2% injected failures: successes in the output, failures in the error file, each once, in order, at the batch price", async () => {
    const total = 10_000;
    const failures = total * 0.02;
    const file = await client.files.upload({ file: { fileName: "batch.jsonl", content: new TextEncoder().encode(Array.from({ length: total }, (_, i) => line(i)).join("\n")) }, purpose: "batch" });
    // Upstream 500s first (retried until they pass), then 400s (final: 2% of the lines).
    await fetch(`${fx.sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ kind: "500", times: 30, model: "sim-small" }) });
    await fetch(`${fx.sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ kind: "400", times: failures, model: "sim-small" }) });
    const created = await client.batch.jobs.create({ inputFiles: [file.id], endpoint: "/v1/chat/completions", model: "small", metadata: { run: "two-percent" } });
    expect(created.totalRequests).toBe(total);
    const started = Date.now();
    expect((await client.batch.jobs.list({ metadata: { run: "two-percent" } })).data?.map((j) => j.id)).toContain(created.id);

    // Interactive requests on the same key go through while the batch runs.
    await expect.poll(async () => (await client.batch.jobs.get({ jobId: created.id })).completedRequests, { timeout: 30_000 }).toBeGreaterThan(0);
    const t0 = performance.now();
    // (On another model: the simulator's injected 400s are queued for the batch's model.)
    const interactive = await client.chat.complete({ model: "large", messages: [{ role: "user", content: "Are you there?" }] });
    expect(interactive.choices?.[0]?.message?.content).toContain("You said: Are you there?");
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect((await client.batch.jobs.get({ jobId: created.id })).status).toBe("RUNNING");
    const job = await until(created.id, (s) => !["QUEUED", "RUNNING"].includes(s), 280_000);
    console.log(`batch of ${total} lines: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(job.status).toBe("SUCCESS");
    expect(job.errors).toEqual([{ message: expect.stringMatching(/^bad_request:upstream: /), count: failures }]);
    expect(job.succeededRequests).toBe(total - failures);
    expect(job.failedRequests).toBe(failures);
    expect(job.errors.reduce((n, e) => n + (e.count ?? 0), 0)).toBe(failures);

    const output = await download(job.outputFile!);
    const errors = await download(job.errorFile!);
    expect(output).toHaveLength(total - failures);
    expect(errors).toHaveLength(failures);
    const ids = [...output, ...errors].map((r) => r.custom_id);
    expect(new Set(ids).size).toBe(total);
    const order = (rows: { custom_id: string }[]) => rows.map((r) => Number(r.custom_id.slice(4)));
    expect(order(output)).toEqual([...order(output)].sort((a, b) => a - b));
    const first = output[0]!;
    expect(first.response?.status_code).toBe(200);
    expect(first.response?.body.choices[0]!.message.content).toContain(`You said: Line ${first.custom_id.slice(4)}`);
    expect(errors[0]!.error?.message).toMatch(/upstream provider refused/);

    // Metered as batch, at half the model's price ("small": $0.10 in, $0.30 out per million).
    const okEvents = () => fx.bora.db.db.select().from(usageEvents).where(and(eq(usageEvents.batchId, created.id), eq(usageEvents.status, "ok")));
    await expect.poll(async () => (await okEvents()).length, { timeout: 5_000 }).toBe(total - failures); // written in batches, every 500 ms
    const events = await okEvents();
    const e = events[0]!;
    expect(e.origin).toBe("batch");
    expect(Number(e.costNanos)).toBe(Math.round((e.promptTokens * 0.1 * 1000 + e.completionTokens * 0.3 * 1000) * 0.5));
  }, 300_000);

  it("refuses a bad input whole, naming the lines", async () => {
    const lines = [line(0), "{not json", line(2)];
    const file = await client.files.upload({ file: { fileName: "bad.jsonl", content: new TextEncoder().encode(lines.join("\n")) }, purpose: "batch" });
    const res = await fetch(`${fx.bora.url}/v1/batch/jobs`, { method: "POST", headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json" }, body: JSON.stringify({ input_files: [file.id], endpoint: "/v1/chat/completions", model: "small" }) });
    expect(res.status).toBe(422);
    expect((await res.json()).message).toMatch(/line 2 of bad.jsonl: not valid JSON/);
    const dup = [line(0), line(0), JSON.stringify({ custom_id: "x", body: { messages: [] } })];
    const inline = await fetch(`${fx.bora.url}/v1/batch/jobs`, { method: "POST", headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json" }, body: JSON.stringify({ requests: dup.map((d) => JSON.parse(d)), endpoint: "/v1/chat/completions", model: "small" }) });
    expect(inline.status).toBe(422);
    const message = (await inline.json()).message as string;
    expect(message).toMatch(/line 2: custom_id "req-0" repeats line 1/);
    expect(message).toMatch(/line 3: body.messages: messages must not be empty/);
  });

  it("keeps a fifth of the key's rate limit for interactive requests, and cancel keeps the partial results", async () => {
    const key = await fx.newKey({ rpm: 20 });
    const limited = new MistralV1({ apiKey: key, serverURL: fx.bora.url });
    const created = await limited.batch.jobs.create({ requests: Array.from({ length: 40 }, (_, i) => JSON.parse(line(i))), endpoint: "/v1/chat/completions", model: "small" });
    // The batch lane takes 16 of the 20 requests per minute, then waits for the next minute.
    const deadline = Date.now() + 30_000;
    let job = await limited.batch.jobs.get({ jobId: created.id });
    while (job.succeededRequests < 16 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      job = await limited.batch.jobs.get({ jobId: created.id });
    }
    expect(job.succeededRequests).toBe(16);
    for (let i = 0; i < 4; i++) {
      const answer = await limited.chat.complete({ model: "small", messages: [{ role: "user", content: `interactive ${i}` }] });
      expect(answer.choices?.[0]?.message?.content).toContain(`interactive ${i}`);
    }
    const cancelled = await limited.batch.jobs.cancel({ jobId: created.id });
    expect(["CANCELLATION_REQUESTED", "CANCELLED"]).toContain(cancelled.status);
    const done = await new MistralV1({ apiKey: key, serverURL: fx.bora.url }).batch.jobs.get({ jobId: created.id });
    const final = done.status === "CANCELLED" ? done : await (async () => {
      for (;;) {
        const j = await limited.batch.jobs.get({ jobId: created.id });
        if (j.status === "CANCELLED") return j;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    expect(final.succeededRequests).toBe(16);
    const output = await new Response(await limited.files.download({ fileId: final.outputFile! })).text();
    expect(output.trim().split("\n")).toHaveLength(16);
  });

  it("works with @mistralai/mistralai 2.x: create, list, get, cancel and delete", async () => {
    const v2 = new Mistral({ apiKey: fx.key, serverURL: fx.bora.url });
    const created = await v2.batch.jobs.create({ requests: [JSON.parse(line(1)), JSON.parse(line(2))], endpoint: "/v1/chat/completions", model: "small", metadata: { sdk: "v2" } });
    expect(created.totalRequests).toBe(2);
    const listed = await v2.batch.jobs.list({ status: ["QUEUED", "RUNNING", "SUCCESS"] });
    expect(listed.data?.some((j) => j.id === created.id)).toBe(true);
    let job = await v2.batch.jobs.get({ jobId: created.id });
    for (let i = 0; i < 100 && job.status !== "SUCCESS"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = await v2.batch.jobs.get({ jobId: created.id });
    }
    expect(job.status).toBe("SUCCESS");
    expect(job.succeededRequests).toBe(2);
    await expect(v2.batch.jobs.cancel({ jobId: created.id })).rejects.toThrow(/already ended/);
    expect((await v2.batch.jobs.delete({ jobId: created.id })).deleted).toBe(true);
    await expect(v2.batch.jobs.get({ jobId: created.id })).rejects.toThrow(/No batch job/);
  });

  it("runs at most 32 lines of a batch at once", async () => {
    // Answers after 1 s: whatever reached the upstream in the first half second was sent at once.
    fx.sim.options.latencyMs = 1000;
    try {
      const sent = () => fx.sim.requests.filter((r) => JSON.stringify(r.body).includes("At once ")).length;
      const created = await client.batch.jobs.create({ requests: Array.from({ length: 100 }, (_, i) => ({ custom_id: `once-${i}`, body: { messages: [{ role: "user", content: `At once ${i}` }], max_tokens: 5 } })), endpoint: "/v1/chat/completions", model: "small" });
      const deadline = Date.now() + 30_000;
      while (sent() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 500));
      expect(sent()).toBeGreaterThan(0);
      expect(sent()).toBeLessThanOrEqual(32);
      const done = await until(created.id, (s) => s === "SUCCESS", 60_000);
      expect(done.succeededRequests).toBe(100);
    } finally {
      fx.sim.options.latencyMs = 0;
    }
  });

  it("ends a batch past its timeout as TIMEOUT_EXCEEDED, keeping the lines done so far", async () => {
    // Slow answers, so most lines are still waiting when the clock runs out.
    fx.sim.options.latencyMs = 500;
    try {
      const created = await client.batch.jobs.create({ requests: Array.from({ length: 1000 }, (_, i) => JSON.parse(line(i))), endpoint: "/v1/chat/completions", model: "small", timeoutHours: 1 });
      let job = await client.batch.jobs.get({ jobId: created.id });
      while (job.succeededRequests < 10) {
        await new Promise((r) => setTimeout(r, 100));
        job = await client.batch.jobs.get({ jobId: created.id });
      }
      // An hour later, as far as the worker can tell.
      await fx.bora.db.db.update(batchJobs).set({ createdAt: new Date(Date.now() - 3_601_000) }).where(eq(batchJobs.id, created.id));
      const ended = await until(created.id, (s) => s === "TIMEOUT_EXCEEDED", 30_000);
      expect(ended.succeededRequests).toBeGreaterThanOrEqual(10);
      expect(ended.succeededRequests).toBeLessThan(1000);
      const output = await download(ended.outputFile!);
      expect(output).toHaveLength(ended.succeededRequests);
    } finally {
      fx.sim.options.latencyMs = 0;
    }
  });
});
