// Two Bora processes on one Postgres and one Redis enforce one limit, not two. Runs when
// DATABASE_URL and REDIS_URL are set (vitest.config.ts includes it only then).
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture & { env: Record<string, string> };
let replica: ChildProcess;
let replicaUrl: string;
const replicaDir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-replica-"));

beforeAll(async () => {
  fx = await startGatewayFixture({ REDIS_URL: process.env.REDIS_URL! });
  replica = fork(path.resolve("lib/testing/bora-process.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...fx.env, BORA_DATA_DIR: replicaDir, PORT: "0", BORA_LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  replicaUrl = await new Promise<string>((resolve, reject) => {
    replica.once("message", (m) => resolve(String(m)));
    replica.once("exit", (code) => reject(new Error(`replica exited with ${code}`)));
  });
}, 60_000);

afterAll(async () => {
  replica?.kill("SIGTERM");
  await new Promise((r) => replica?.once("exit", r));
  await fx?.close();
  fs.rmSync(replicaDir, { recursive: true, force: true });
});

describe("limits across replicas", () => {
  it("lets exactly 50 of 200 concurrent requests through a 50 RPM key, spread over two processes", async () => {
    const key = await fx.newKey({ rpm: 50 });
    const urls = [fx.bora.url, replicaUrl];
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${urls[i % 2]}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "hi" }] }),
        }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200).length;
    expect(ok).toBe(50);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(150);
    // Both replicas served some of the 50.
    expect(fx.sim.requests.length).toBe(50);
  });

  it("holds a key to 3 requests at once across both processes", async () => {
    const key = await fx.newKey({ maxConcurrent: 3 });
    const urls = [fx.bora.url, replicaUrl];
    fx.sim.options.latencyMs = 400;
    try {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          fetch(`${urls[i % 2]}/v1/chat/completions`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "at once" }] }),
          }),
        ),
      );
      expect(responses.filter((r) => r.status === 200)).toHaveLength(3);
      expect(responses.filter((r) => r.status === 429)).toHaveLength(7);
    } finally {
      fx.sim.options.latencyMs = 0;
    }
  });
});
