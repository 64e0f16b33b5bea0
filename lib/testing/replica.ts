// Another Bora process on the same database and Redis as a test's fixture, for the tests that
// need several processes. It runs the command operators run, `bora serve --<mode>`, with its
// own data dir, reports its URL over IPC, and is stopped with SIGTERM.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type Replica = { url: string; child: ChildProcess; stop: () => Promise<void> };

export async function startReplica(env: Record<string, string>, mode: "gateway" | "worker" | "console" = "gateway"): Promise<Replica> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-replica-"));
  const child = fork(path.resolve("bin/bora.js"), ["serve", `--${mode}`], {
    execArgv: [],
    env: { ...process.env, ...env, BORA_DATA_DIR: dir, PORT: "0", BORA_LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`bora serve --${mode} exited with ${code}`)));
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
