// `npm run bench:gateway`: requests/s and latency direct to the upstream simulator, through a
// bare undici proxy, and through Bora (key auth and metering on), JSON and SSE, at 1 and 32
// connections, with the upstream answering at once and after 50 ms. All in one run, on
// loopback. Writes bench/results/gateway.md.
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const root = path.resolve(import.meta.dirname, "..");
const children: ChildProcess[] = [];

function forkReady(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(root, script), [], { env: { ...process.env, ...env }, execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
    children.push(child);
    child.once("message", (m) => resolve(String(m)));
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function startBora(port: number, dataDir: string) {
  const child = spawn(process.execPath, ["bin/start.js"], { cwd: root, env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", BORA_DATA_DIR: dataDir, BORA_LOG_LEVEL: "warn", NODE_ENV: "production" }, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("Bora did not start");
}

function cli(dataDir: string, ...args: string[]): string {
  return execFileSync(process.execPath, ["bin/bora.js", ...args, "--json"], { cwd: root, env: { ...process.env, BORA_DATA_DIR: dataDir }, encoding: "utf8" });
}

type Row = { target: string; mode: string; upstream: string; connections: number; rps: number; p50: number; p99: number; errors: number };

async function load(url: string, body: string, headers: Record<string, string>, connections: number, duration = seconds): Promise<Omit<Row, "target" | "mode" | "upstream" | "connections">> {
  const r = await autocannon({ url, method: "POST", body, headers: { "content-type": "application/json", ...headers }, connections, duration, pipelining: 1 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-bench-"));
  try {
    const instant = (await forkReady("bench/sim-process.ts", { PORT: "18081", LATENCY_MS: "0" })).split(" ")[1]!;
    const slow = (await forkReady("bench/sim-process.ts", { PORT: "18082", LATENCY_MS: "50" })).split(" ")[1]!;
    await forkReady("bench/bare-proxy.ts", { PORT: "18091", UPSTREAM: instant });
    await forkReady("bench/bare-proxy.ts", { PORT: "18092", UPSTREAM: slow });
    await startBora(18100, dataDir);
    cli(dataDir, "providers", "add", "--name", "sim-instant", "--kind", "mistral", "--base-url", instant);
    cli(dataDir, "providers", "add", "--name", "sim-50ms", "--kind", "mistral", "--base-url", slow);
    cli(dataDir, "models", "add", "--alias", "bench-instant", "--provider", "sim-instant", "--upstream", "sim-small", "--input-price", "0.1", "--output-price", "0.3");
    cli(dataDir, "models", "add", "--alias", "bench-50ms", "--provider", "sim-50ms", "--upstream", "sim-small", "--input-price", "0.1", "--output-price", "0.3");
    const key = (JSON.parse(cli(dataDir, "keys", "create", "--workspace", "default", "--name", "bench")) as { secret: string }).secret;

    const rows: Row[] = [];
    for (const [upstream, sim, bare, alias] of [["instant", instant, "http://127.0.0.1:18091", "bench-instant"], ["50 ms", slow, "http://127.0.0.1:18092", "bench-50ms"]] as const) {
      for (const mode of ["JSON", "SSE"]) {
        for (const connections of [1, 32]) {
          const messages = [{ role: "user", content: "Benchmark this gateway, please." }];
          const stream = mode === "SSE";
          const targets: [string, string, string, Record<string, string>][] = [
            ["direct", `${sim}/v1/chat/completions`, JSON.stringify({ model: "sim-small", messages, stream }), {}],
            ["bare proxy", `${bare}/v1/chat/completions`, JSON.stringify({ model: "sim-small", messages, stream }), {}],
            ["Bora", "http://127.0.0.1:18100/v1/chat/completions", JSON.stringify({ model: alias, messages, stream }), { authorization: `Bearer ${key}` }],
          ];
          for (const [target, url, body, headers] of targets) {
            await load(url, body, headers, connections, 1); // warm-up: JIT, connection pools
            const r = await load(url, body, headers, connections);
            rows.push({ target, mode, upstream, connections, ...r });
            console.log(`${upstream.padEnd(7)} ${mode} c=${String(connections).padEnd(2)} ${target.padEnd(10)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}`);
          }
        }
      }
    }
    const md = report(rows);
    fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
    fs.writeFileSync(path.join(root, "bench/results/gateway.md"), md);
    console.log("\n" + md);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(rows: Row[]): string {
  const lines = [
    `Gateway overhead, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${seconds} s per cell, loopback, load generator on the same machine.`,
    "",
    "| upstream | body | conns | direct req/s | bare proxy req/s | Bora req/s | Bora / direct | Bora / bare | p50 direct → Bora (ms) | p99 direct → Bora (ms) |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  const keyOf = (r: Row) => `${r.upstream}|${r.mode}|${r.connections}`;
  for (const k of [...new Set(rows.map(keyOf))]) {
    const cell = (t: string) => rows.find((r) => keyOf(r) === k && r.target === t)!;
    const [d, b, o] = [cell("direct"), cell("bare proxy"), cell("Bora")];
    lines.push(
      `| ${d.upstream} | ${d.mode} | ${d.connections} | ${d.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${o.rps.toFixed(0)} | ${((o.rps / d.rps) * 100).toFixed(0)}% | ${((o.rps / b.rps) * 100).toFixed(0)}% | ${d.p50} → ${o.p50} | ${d.p99} → ${o.p99} |`,
    );
  }
  const errors = rows.reduce((n, r) => n + r.errors, 0);
  lines.push("", errors ? `Errors or non-2xx answers during the run: ${errors}.` : "No errors or non-2xx answers during the run.");
  return lines.join("\n") + "\n";
}

// Stopped from outside (Ctrl-C, a timeout): take the simulators, proxies and Bora down with it.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const c of children) c.kill("SIGKILL");
    process.exit(130);
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    for (const c of children) c.kill("SIGKILL");
    process.exit(1);
  },
);
