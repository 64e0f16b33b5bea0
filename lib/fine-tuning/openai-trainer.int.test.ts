// Fine-tuning through Bora on an upstream with OpenAI's fine-tuning API (the simulator's OpenAI
// dialect): the openai-compatible trainer, chosen by probing the upstream when the job is
// created. Success with falling loss and the model served, cancel, a restart mid-job, and the
// refusal when the upstream has no such API and no trainer command is configured.
import { Mistral as MistralV1 } from "mistral-v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture & { env: Record<string, string> };
let client: MistralV1;

const conversations = Array.from({ length: 30 }, (_, i) => JSON.stringify({ messages: [{ role: "user", content: `What is ${i} plus ${i}?` }, { role: "assistant", content: `${i} plus ${i} is ${i + i}.` }] }));
const dataset = conversations.join("\n") + "\n";

beforeAll(async () => {
  fx = await startGatewayFixture({ BORA_JOB_POLL_MS: "100" });
  fx.sim.options.fineTuneStepMs = 30;
  fx.sim.options.openaiFineTuning = true;
  client = new MistralV1({ apiKey: fx.key, serverURL: fx.bora.url });
});
afterAll(() => fx.close());

async function createJob(request: Omit<Parameters<MistralV1["fineTuning"]["jobs"]["create"]>[0], "model" | "trainingFiles">) {
  const file = await client.files.upload({ file: { fileName: "sums.jsonl", content: new TextEncoder().encode(dataset) }, purpose: "fine-tune" });
  const r = await client.fineTuning.jobs.create({ model: "oai", trainingFiles: [{ fileId: file.id, weight: 1 }], ...request });
  if (!("id" in r) || typeof r.id !== "string") throw new Error("expected a job");
  return r as typeof r & { id: string; status: string };
}

async function until(id: string, done: (job: Awaited<ReturnType<MistralV1["fineTuning"]["jobs"]["get"]>>) => boolean, ms = 45_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await client.fineTuning.jobs.get({ jobId: id });
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const statuses = (job: { events?: { name: string; data?: { [k: string]: unknown } | null }[] }) => (job.events ?? []).filter((e) => e.name === "status-updated").map((e) => e.data?.status);
const losses = (job: { checkpoints?: { stepNumber: number; metrics: { trainLoss?: number | null } }[] }) => [...(job.checkpoints ?? [])].sort((a, b) => a.stepNumber - b.stepNumber).map((c) => c.metrics.trainLoss!);
// What Bora asked of the upstream's OpenAI dialect for one job (the simulator records mutations).
const upstreamCalls = (boraJobId: string) => {
  const creates = fx.sim.requests.filter((r) => r.dialect === "openai" && r.method === "POST" && r.path === "/v1/fine_tuning/jobs" && (r.body.metadata as { bora_job_id?: string } | undefined)?.bora_job_id === boraJobId);
  return { creates };
};

describe("the openai-compatible trainer, against the simulator's OpenAI dialect", () => {
  it("trains upstream, mirrors falling loss, and serves the fine-tuned model through Bora", async () => {
    const uploadsBefore = fx.sim.requests.filter((r) => r.dialect === "openai" && r.path === "/v1/files").length;
    const created = await createJob({ hyperparameters: { trainingSteps: 10, learningRate: 0.0002 }, suffix: "sums" });
    expect(created.status).toBe("QUEUED");

    const job = await until(created.id, (j) => j.status === "SUCCESS" || j.status === "FAILED");
    expect(job.status).toBe("SUCCESS");
    expect(statuses(job)).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "SUCCESS"]);
    const loss = losses(job);
    expect(loss.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < loss.length; i++) expect(loss[i]!).toBeLessThan(loss[i - 1]!);
    expect(job.fineTunedModel).toMatch(/^ft:oai:sums:[0-9a-f]{8}$/);
    expect(job.trainedTokens).toBeGreaterThan(0);

    // One upload, one remote job: 10 steps of 30 examples is one epoch of one example a step,
    // and 2e-4 is twice the default rate.
    expect(fx.sim.requests.filter((r) => r.dialect === "openai" && r.path === "/v1/files").length).toBe(uploadsBefore + 1);
    const { creates } = upstreamCalls(job.id);
    expect(creates).toHaveLength(1);
    expect(creates[0]!.body).toMatchObject({ model: "sim-small", suffix: "sums", method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 1, batch_size: 1, learning_rate_multiplier: 2 } } } });

    const answer = await client.chat.complete({ model: job.fineTunedModel!, messages: [{ role: "user", content: "What is 2 plus 2?" }] });
    expect(answer.model).toBe(job.fineTunedModel);
    expect(answer.choices?.[0]?.message?.content).toBe("Hello from the simulator. You said: What is 2 plus 2?");
    const relayed = fx.sim.requests.filter((r) => r.dialect === "openai" && r.path === "/v1/chat/completions").at(-1);
    expect(relayed?.body.model).toMatch(/^ft:sim-small:simulator:sums:[0-9a-f]{8}$/);
  });

  it("cancels the remote job when the Bora job is cancelled", async () => {
    // 3000 steps: the 50 epochs OpenAI allows, far longer than the test. Cancelled once the
    // remote job exists, so the cancel has to reach the upstream.
    const created = await createJob({ hyperparameters: { trainingSteps: 3000 } });
    await until(created.id, (j) => j.status === "RUNNING" && upstreamCalls(created.id).creates.length === 1);
    const cancelled = await client.fineTuning.jobs.cancel({ jobId: created.id });
    expect(["CANCELLATION_REQUESTED", "CANCELLED"]).toContain(cancelled.status);
    const job = await until(created.id, (j) => j.status === "CANCELLED");
    expect(statuses(job)).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "CANCELLATION_REQUESTED", "CANCELLED"]);
    expect(job.fineTunedModel).toBeFalsy();

    const cancels = fx.sim.requests.filter((r) => r.dialect === "openai" && /^\/v1\/fine_tuning\/jobs\/ftjob-[0-9a-f]+\/cancel$/.test(r.path));
    expect(cancels).toHaveLength(1);
    const remote = await (await fetch(`${fx.sim.url}/openai${cancels[0]!.path.replace(/\/cancel$/, "")}`)).json();
    expect(remote).toMatchObject({ status: "cancelled", fine_tuned_model: null, metadata: { bora_job_id: created.id } });
  });

  it("resumes the same remote job after a restart, and rides out an upstream 503", async () => {
    const created = await createJob({ hyperparameters: { trainingSteps: 120 } });
    await until(created.id, (j) => (j.checkpoints ?? []).length > 0);
    await fx.restart();
    client = new MistralV1({ apiKey: fx.key, serverURL: fx.bora.url });
    // The next poll of the remote job fails once: the runner retries instead of failing the job.
    fx.sim.faults.push({ kind: "503", model: "sim-small", times: 1 });
    const job = await until(created.id, (j) => j.status === "SUCCESS" || j.status === "FAILED");
    expect(job.status).toBe("SUCCESS");
    expect(fx.sim.faults).toHaveLength(0);
    expect(statuses(job)).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "SUCCESS"]);
    expect(upstreamCalls(job.id).creates).toHaveLength(1);
    const steps = (job.checkpoints ?? []).map((c) => c.stepNumber);
    expect(new Set(steps).size).toBe(steps.length);
    expect(Math.max(...steps)).toBe(120);
  });

  it("refuses a job on an OpenAI-compatible upstream without the API when no trainer command is configured", async () => {
    fx.sim.options.openaiFineTuning = false;
    try {
      const file = await client.files.upload({ file: { fileName: "sums.jsonl", content: new TextEncoder().encode(dataset) }, purpose: "fine-tune" });
      const res = await fetch(`${fx.bora.url}/v1/fine_tuning/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "oai", training_files: [{ file_id: file.id }], hyperparameters: { training_steps: 5 } }),
      });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.param).toBe("model");
      expect(body.message).toMatch(/OpenAI's fine-tuning API/);
    } finally {
      fx.sim.options.openaiFineTuning = true;
    }
  });
});
