// A batch survives its worker being killed: Bora runs as a real process, is killed with SIGKILL
// mid-batch, and started again on the same data; the job finishes with every custom_id exactly
// once in its results.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator/server";
import { testDataDir } from "@/lib/testing/database";
import { testPassword } from "@/lib/testing/fixtures";

let sim: Simulator;
let dir: Awaited<ReturnType<typeof testDataDir>>;
let child: ChildProcess | undefined;
const env = () => ({ ...process.env, ...dir.env, PORT: "0", HOST: "127.0.0.1", BORA_SECRET: "crash-test-secret-long-enough-for-bora-0000", BORA_ADMIN_EMAIL: "root@crash.test", BORA_ADMIN_PASSWORD: testPassword, BORA_LOG_LEVEL: "error" });

function startProcess(): Promise<string> {
  child = fork(path.resolve("lib/testing/bora-process.ts"), [], { env: env(), execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child!.once("message", (url) => resolve(String(url)));
    child!.once("exit", (code) => reject(new Error(`Bora exited with ${code}`)));
  });
}

const cli = (...args: string[]) => execFileSync(process.execPath, ["bin/bora.js", ...args, "--json"], { env: env(), encoding: "utf8" });

beforeAll(async () => {
  // A little latency per request, so the batch is still running when the process dies.
  sim = await startSimulator({ latencyMs: 5 });
  dir = await testDataDir();
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await sim.close();
  await dir.cleanup();
});

it("finishes a batch after a SIGKILL mid-run, each custom_id exactly once", async () => {
  let url = await startProcess();
  cli("providers", "add", "--name", "sim", "--kind", "mistral", "--base-url", sim.url);
  cli("models", "add", "--alias", "small", "--provider", "sim", "--upstream", "sim-small");
  const { secret } = JSON.parse(cli("keys", "create", "--workspace", "default", "--name", "crash")) as { secret: string };
  const auth = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
  const total = 3000;
  const requests = Array.from({ length: total }, (_, i) => ({ custom_id: `c-${i}`, body: { messages: [{ role: "user", content: `n ${i}` }] } }));
  const created = (await (await fetch(`${url}/v1/batch/jobs`, { method: "POST", headers: auth, body: JSON.stringify({ requests, endpoint: "/v1/chat/completions", model: "small" }) })).json()) as { id: string };
  const get = async (base: string) => (await (await fetch(`${base}/v1/batch/jobs/${created.id}`, { headers: auth })).json()) as { status: string; completed_requests: number; succeeded_requests: number; output_file: string | null };

  for (let job = await get(url); job.completed_requests < 300; job = await get(url)) await new Promise((r) => setTimeout(r, 50));
  child!.kill("SIGKILL");
  await new Promise((r) => child!.once("exit", r));
  const atKill = sim.requests.length;
  expect(atKill).toBeLessThan(total); // it really died mid-run

  url = await startProcess();
  const deadline = Date.now() + 150_000;
  let job = await get(url);
  while (job.status !== "SUCCESS" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    job = await get(url);
  }
  expect(job.status).toBe("SUCCESS");
  expect(job.succeeded_requests).toBe(total);
  const output = await (await fetch(`${url}/v1/files/${job.output_file}/content`, { headers: auth })).text();
  const ids = output.trim().split("\n").map((l) => (JSON.parse(l) as { custom_id: string }).custom_id);
  expect(ids).toHaveLength(total);
  expect(new Set(ids).size).toBe(total);
  expect(ids).toEqual(requests.map((r) => r.custom_id));
}, 240_000);
