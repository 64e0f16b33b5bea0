// `npm run bench:gateway`: requests/s and latency direct to the upstream simulator, through a
// bare node:http proxy, and through Bora (key auth and metering on; also with a key whose
// per-minute limits are counted), JSON and SSE, at 1 and 32 connections, with the upstream
// answering at once and after 50 ms. Bora runs as `npm start` runs it (all-in-one on PGlite)
// and, when Postgres answers (DATABASE_URL, or the local one), also all-in-one on Postgres and
// as `bora serve --gateway` beside it (with Redis when it answers). All in one run, on
// loopback. Writes bench/results/gateway.md.
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
// Each cell is measured in rounds, the targets taking turns, and the median round is reported:
// this machine's speed drifts by tens of percent within minutes, and a target measured alone
// during a slow spell would look slower than it is.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
// BENCH_CELLS="instant JSON c=32,50 ms SSE": only the cells whose name holds one of these, for
// checking a change; such a partial run prints its table but leaves bench/results alone.
const cells = process.env.BENCH_CELLS?.split(",").map((c) => c.trim());
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

async function startBora(port: number, dataDir: string, env: Record<string, string> = {}, args: string[] = ["bin/start.js"]) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", BORA_DATA_DIR: dataDir, BORA_LOG_LEVEL: "warn", NODE_ENV: "production", ...env }, stdio: ["ignore", "ignore", "inherit"] });
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

type Row = { target: string; mode: string; upstream: string; connections: number; rps: number; p50: number; p99: number; errors: number; line: string };

async function load(url: string, body: string, headers: Record<string, string>, connections: number, duration = seconds): Promise<Omit<Row, "target" | "mode" | "upstream" | "connections" | "line">> {
  const r = await autocannon({ url, method: "POST", body, headers: { "content-type": "application/json", ...headers }, connections, duration, pipelining: 1 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const benchDb = "bora_bench_gateway";

/** A database of the bench's own on the Postgres server of DATABASE_URL (or the local one), if one answers. */
async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const server = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const admin = postgres(server, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await admin.unsafe(`drop database if exists ${benchDb} with (force)`);
    await admin.unsafe(`create database ${benchDb}`);
  } catch (err) {
    console.log(`Postgres does not answer (${(err as Error).message}): measuring the all-in-one on PGlite only.`);
    await admin.end();
    return undefined;
  }
  const url = new URL(server);
  url.pathname = `/${benchDb}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${benchDb} with (force)`);
      await admin.end();
    },
  };
}

async function redisAnswers(): Promise<string | undefined> {
  const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const { default: Redis } = await import("ioredis");
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-bench-"));
  const pgDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-bench-pg-"));
  const gatewayDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-bench-gw-"));
  const pg = await benchDatabase();
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
    // A key whose per-minute limits are counted on every request, set far above what the run
    // reaches: what limits cost, beside the key without any.
    const limitedKey = (JSON.parse(cli(dataDir, "keys", "create", "--workspace", "default", "--name", "bench-limited", "--rpm", "100000000", "--tpm", "2000000000")) as { secret: string }).secret;
    // The split deployment: an all-in-one on Postgres (it holds the console the CLI talks to)
    // and a gateway-only process beside it on the same database.
    let pgKey = "";
    if (pg) {
      const redis = await redisAnswers();
      const shared = { DATABASE_URL: pg.url, BORA_SECRET: "bench-secret-long-enough-for-bora-000000", ...(redis ? { REDIS_URL: redis } : {}) };
      await startBora(18110, pgDataDir, shared);
      await startBora(18111, gatewayDataDir, shared, ["bin/bora.js", "serve", "--gateway"]);
      cli(pgDataDir, "providers", "add", "--name", "sim-instant", "--kind", "mistral", "--base-url", instant);
      cli(pgDataDir, "providers", "add", "--name", "sim-50ms", "--kind", "mistral", "--base-url", slow);
      cli(pgDataDir, "models", "add", "--alias", "bench-instant", "--provider", "sim-instant", "--upstream", "sim-small", "--input-price", "0.1", "--output-price", "0.3");
      cli(pgDataDir, "models", "add", "--alias", "bench-50ms", "--provider", "sim-50ms", "--upstream", "sim-small", "--input-price", "0.1", "--output-price", "0.3");
      pgKey = (JSON.parse(cli(pgDataDir, "keys", "create", "--workspace", "default", "--name", "bench")) as { secret: string }).secret;
      console.log(`Postgres${redis ? " with Redis" : " (no Redis)"}: all-in-one on :18110, gateway-only on :18111`);
    }

    const rows: Row[] = [];
    for (const [upstream, sim, bare, alias] of [["instant", instant, "http://127.0.0.1:18091", "bench-instant"], ["50 ms", slow, "http://127.0.0.1:18092", "bench-50ms"]] as const) {
      for (const mode of ["JSON", "SSE"]) {
        for (const connections of [1, 32]) {
          if (cells && !cells.some((c) => `${upstream} ${mode} c=${connections}`.includes(c))) continue;
          const messages = [{ role: "user", content: "Benchmark this gateway, please." }];
          const stream = mode === "SSE";
          const targets: [string, string, string, Record<string, string>][] = [
            ["direct", `${sim}/v1/chat/completions`, JSON.stringify({ model: "sim-small", messages, stream }), {}],
            ["bare proxy", `${bare}/v1/chat/completions`, JSON.stringify({ model: "sim-small", messages, stream }), {}],
            ["Bora", "http://127.0.0.1:18100/v1/chat/completions", JSON.stringify({ model: alias, messages, stream }), { authorization: `Bearer ${key}` }],
            ["Bora, limited key", "http://127.0.0.1:18100/v1/chat/completions", JSON.stringify({ model: alias, messages, stream }), { authorization: `Bearer ${limitedKey}` }],
          ];
          if (pg) {
            targets.push(["Bora on Postgres", "http://127.0.0.1:18110/v1/chat/completions", JSON.stringify({ model: alias, messages, stream }), { authorization: `Bearer ${pgKey}` }]);
            targets.push(["gateway-only", "http://127.0.0.1:18111/v1/chat/completions", JSON.stringify({ model: alias, messages, stream }), { authorization: `Bearer ${pgKey}` }]);
          }
          for (const [, url, body, headers] of targets) await load(url, body, headers, connections, 1); // warm-up: JIT, connection pools
          const measured = new Map<string, Omit<Row, "target" | "mode" | "upstream" | "connections" | "line">[]>();
          for (let round = 0; round < rounds; round++) {
            for (const [target, url, body, headers] of targets) {
              const r = await load(url, body, headers, connections);
              measured.set(target, [...(measured.get(target) ?? []), r]);
            }
          }
          for (const [target] of targets) {
            const runs = measured.get(target)!;
            const r = { rps: median(runs.map((x) => x.rps)), p50: median(runs.map((x) => x.p50)), p99: median(runs.map((x) => x.p99)), errors: runs.reduce((n, x) => n + x.errors, 0) };
            const line = `${upstream.padEnd(7)} ${mode} c=${String(connections).padEnd(2)} ${target.padEnd(16)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}  (rounds: ${runs.map((x) => x.rps.toFixed(0)).join(", ")})`;
            rows.push({ target, mode, upstream, connections, ...r, line });
            console.log(line);
          }
        }
      }
    }
    const md = report(rows);
    if (!cells) {
      fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
      fs.writeFileSync(path.join(root, "bench/results/gateway.md"), md);
    }
    console.log("\n" + md);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1_000));
    await pg?.drop();
    for (const dir of [dataDir, pgDataDir, gatewayDataDir]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function report(rows: Row[]): string {
  const lines = [
    `Gateway overhead, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, loopback, load generator on the same machine. Each figure is the median of ${rounds} rounds of ${seconds} s, the targets taking turns.`,
    "",
    "| upstream | body | conns | direct req/s | bare proxy req/s | Bora req/s | Bora / direct | Bora / bare | p50 direct → Bora (ms) | p99 direct → Bora (ms) | limited key req/s | limited / bare |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const keyOf = (r: Row) => `${r.upstream}|${r.mode}|${r.connections}`;
  for (const k of [...new Set(rows.map(keyOf))]) {
    const cell = (t: string) => rows.find((r) => keyOf(r) === k && r.target === t)!;
    const [d, b, o, l] = [cell("direct"), cell("bare proxy"), cell("Bora"), cell("Bora, limited key")];
    lines.push(
      `| ${d.upstream} | ${d.mode} | ${d.connections} | ${d.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${o.rps.toFixed(0)} | ${((o.rps / d.rps) * 100).toFixed(0)}% | ${((o.rps / b.rps) * 100).toFixed(0)}% | ${d.p50} → ${o.p50} | ${d.p99} → ${o.p99} | ${l.rps.toFixed(0)} | ${((l.rps / b.rps) * 100).toFixed(0)}% |`,
    );
  }
  if (rows.some((r) => r.target === "gateway-only")) {
    lines.push(
      "",
      "The same cells on Postgres: Bora all-in-one, and `bora serve --gateway` (no console in the process) beside it on the same database.",
      "",
      "| upstream | body | conns | bare proxy req/s | all-in-one req/s | gateway-only req/s | gateway-only / direct | gateway-only / bare | p50 direct → all-in-one → gateway-only (ms) | p99 direct → all-in-one → gateway-only (ms) |",
      "|---|---|---|---|---|---|---|---|---|---|",
    );
    for (const k of [...new Set(rows.map(keyOf))]) {
      const cell = (t: string) => rows.find((r) => keyOf(r) === k && r.target === t)!;
      const [d, b, a, g] = [cell("direct"), cell("bare proxy"), cell("Bora on Postgres"), cell("gateway-only")];
      lines.push(
        `| ${d.upstream} | ${d.mode} | ${d.connections} | ${b.rps.toFixed(0)} | ${a.rps.toFixed(0)} | ${g.rps.toFixed(0)} | ${((g.rps / d.rps) * 100).toFixed(0)}% | ${((g.rps / b.rps) * 100).toFixed(0)}% | ${d.p50} → ${a.p50} → ${g.p50} | ${d.p99} → ${a.p99} → ${g.p99} |`,
      );
    }
  }
  const errors = rows.reduce((n, r) => n + r.errors, 0);
  lines.push("", errors ? `Errors or non-2xx answers during the run: ${errors}.` : "No errors or non-2xx answers during the run.");
  // Every round, so how far one target moves between rounds can be seen beside its median.
  lines.push("", "Each target's rounds (requests/s, in the order measured) and median:", "", "```", ...rows.map((r) => r.line), "```");
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
