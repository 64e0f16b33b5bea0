// A workspace that forwards batches: a batch on a La Plateforme model goes to the upstream's
// batch API whole, its progress is mirrored, and its results come back as this batch's files,
// metered at the batch price.
import { and, eq } from "drizzle-orm";
import { Mistral as MistralV1 } from "mistral-v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvents } from "@/db/schema";
import { authorize } from "@/lib/services/authorize";
import { updateWorkspace } from "@/lib/services/workspaces";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture & { env: Record<string, string> };
let client: MistralV1;

beforeAll(async () => {
  fx = await startGatewayFixture();
  const db = fx.bora.db.db;
  await updateWorkspace(db, await authorize(db, fx.admin, { slug: "default" }, "workspace:update"), { batchMode: "upstream" });
  client = new MistralV1({ apiKey: fx.key, serverURL: fx.bora.url });
});
afterAll(() => fx.close());

const request = (i: number, text = `Line ${i}`) => ({ customId: `u-${i}`, body: { messages: [{ role: "user", content: text }] } });

async function until(id: string, done: (s: string) => boolean) {
  for (let i = 0; i < 300; i++) {
    const job = await client.batch.jobs.get({ jobId: id });
    if (done(job.status)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`batch ${id} did not end`);
}

describe("batches forwarded to La Plateforme", () => {
  it("sends the job upstream whole and brings back its results, metered at the batch price", async () => {
    fx.sim.options.batchLinesPerSecond = 100;
    const requests = [...Array.from({ length: 49 }, (_, i) => request(i)), request(49, "please FAIL this one")];
    const created = await client.batch.jobs.create({ requests, endpoint: "/v1/chat/completions", model: "small" });
    const job = await until(created.id, (s) => !["QUEUED", "RUNNING"].includes(s));
    expect(job.status).toBe("SUCCESS");
    expect(job.succeededRequests).toBe(49);
    expect(job.failedRequests).toBe(1);

    const posted = fx.sim.requests.filter((r) => r.path === "/v1/batch/jobs");
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatchObject({ endpoint: "/v1/chat/completions", model: "sim-small" });
    // Not one line went through the chat endpoint: the upstream ran them.
    expect(fx.sim.requests.filter((r) => r.path === "/v1/chat/completions" && JSON.stringify(r.body).includes("Line 1"))).toEqual([]);

    const output = (await new Response(await client.files.download({ fileId: job.outputFile! })).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(output.map((o) => o.custom_id)).toEqual(Array.from({ length: 49 }, (_, i) => `u-${i}`));
    expect(output[3].response.body.choices[0].message.content).toContain("You said: Line 3");
    const errors = (await new Response(await client.files.download({ fileId: job.errorFile! })).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(errors.map((e) => e.custom_id)).toEqual(["u-49"]);

    const events = () => fx.bora.db.db.select().from(usageEvents).where(and(eq(usageEvents.batchId, created.id), eq(usageEvents.origin, "batch")));
    await expect.poll(async () => (await events()).length, { timeout: 5_000 }).toBe(49);
    const e = (await events())[0]!;
    expect(Number(e.costNanos)).toBe(Math.round((e.promptTokens * 0.1 * 1000 + e.completionTokens * 0.3 * 1000) * 0.5));
  });

  it("cancels upstream too, keeping what was done", async () => {
    fx.sim.options.batchLinesPerSecond = 5;
    const created = await client.batch.jobs.create({ requests: Array.from({ length: 100 }, (_, i) => request(i)), endpoint: "/v1/chat/completions", model: "small" });
    let job = await client.batch.jobs.get({ jobId: created.id });
    for (let i = 0; i < 200 && job.succeededRequests < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = await client.batch.jobs.get({ jobId: created.id });
    }
    await client.batch.jobs.cancel({ jobId: created.id });
    const ended = await until(created.id, (s) => s === "CANCELLED");
    expect(ended.succeededRequests).toBeGreaterThanOrEqual(3);
    expect(ended.succeededRequests).toBeLessThan(100);
    expect(fx.sim.requests.some((r) => /\/v1\/batch\/jobs\/[^/]+\/cancel$/.test(r.path))).toBe(true);
  });

  it("runs batches of other providers' models here, line by line", async () => {
    const forwarded = () => fx.sim.requests.filter((r) => r.path === "/v1/batch/jobs").length;
    const before = forwarded();
    const created = await client.batch.jobs.create({ requests: [request(1)], endpoint: "/v1/chat/completions", model: "oai" });
    const job = await until(created.id, (s) => s === "SUCCESS");
    expect(job.succeededRequests).toBe(1);
    expect(forwarded()).toBe(before);
  });
});
