// Starts Bora for the e2e suite exactly as `npm start` does (building when needed), on a free
// port with a fresh data dir (and a fresh Postgres database when DATABASE_URL is set).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { startSimulator } from "../lib/simulator/server";
import { ensurePgliteTemplate, testDataDir, usingPostgres } from "../lib/testing/database";
import { e2eAdmin } from "./admin";

function ensureChromium() {
  const bin = process.env.BORA_CHROMIUM ?? "/usr/bin/chromium";
  if (fs.existsSync(bin)) return;
  console.log("Chromium is missing: installing Debian's package…");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitReady(url: string, child: ReturnType<typeof spawn>, logFile: string) {
  const deadline = Date.now() + 240_000; // includes a first `next build`
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Bora exited with ${child.exitCode}:\n${fs.readFileSync(logFile, "utf8").slice(-3000)}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Bora did not become ready:\n${fs.readFileSync(logFile, "utf8").slice(-3000)}`);
}

export default async function globalSetup() {
  ensureChromium();
  if (!usingPostgres()) await ensurePgliteTemplate();
  const dir = await testDataDir();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dir.dataDir, "server.log");
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, ["bin/start.js"], {
    env: { ...process.env, ...dir.env, PORT: String(port), HOST: "127.0.0.1", BORA_ADMIN_EMAIL: e2eAdmin.email, BORA_ADMIN_PASSWORD: e2eAdmin.password, BORA_LOG_LEVEL: "warn", BORA_JOB_POLL_MS: "300" },
    stdio: ["ignore", log, log],
  });
  await waitReady(url, child, logFile);
  // An upstream for the console to talk to: the simulator, registered with the CLI as an admin would.
  // 20 tokens a second: slow enough to watch an answer stream in, fast enough for tests.
  const sim = await startSimulator({ tokensPerSecond: 20 });
  const bora = (...args: string[]) => execFileSync(process.execPath, ["bin/bora.js", ...args], { env: { ...process.env, ...dir.env }, stdio: "pipe" });
  bora("providers", "add", "--name", "simulator", "--kind", "mistral", "--base-url", sim.url, "--region", "eu");
  bora("models", "add", "--alias", "sim-small", "--provider", "simulator", "--input-price", "0.1", "--output-price", "0.3");
  bora("models", "add", "--alias", "sim-code", "--provider", "simulator", "--input-price", "0.3", "--output-price", "0.9", "--capabilities", "fim");
  bora("models", "add", "--alias", "sim-large", "--provider", "simulator", "--input-price", "2", "--output-price", "6", "--capabilities", "chat,function_calling,vision", "--context", "131072");
  process.env.BORA_E2E_URL = url;
  process.env.BORA_E2E_SIM_URL = sim.url;
  process.env.BORA_E2E_DATA_DIR = dir.dataDir;
  for (const [k, v] of Object.entries(dir.env)) process.env[`BORA_E2E_ENV_${k}`] = v;
  // Returned function = global teardown: stop gracefully (SIGTERM), then remove the data.
  return async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await sim.close();
    await dir.cleanup();
  };
}
