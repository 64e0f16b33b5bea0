// A second Bora process (a replica) on the same database and Redis as a test's fixture, for the
// tests that need two processes. Started with its own data dir; stopped with SIGTERM.
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type Replica = { url: string; stop: () => Promise<void> };

export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-replica-"));
  const child = fork(path.resolve("lib/testing/bora-process.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env, BORA_DATA_DIR: dir, PORT: "0", BORA_LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => resolve(String(m)));
    child.once("exit", (code) => reject(new Error(`replica exited with ${code}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
