// `npm run bench:local`: the built-in engine on the random-weight demo model, in process (no
// HTTP): tokens/s, time to first token and latency, free text and guided JSON, at 1, 4 and 8
// requests at once (8 sequences). Writes bench/results/local.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { demoModelFile, ensureDemoModel } from "@/lib/engine/demo-model/build-demo-model";
import { LocalEngine } from "@/lib/engine/local-engine";

const requests = Number(process.env.BENCH_REQUESTS ?? 48);
const root = path.resolve(import.meta.dirname, "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-bench-local-"));
ensureDemoModel(dir);
const engine = new LocalEngine(dir, { sequences: 8, maxQueue: 1_000 });
const signal = new AbortController().signal;

const order = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1, maximum: 99999 }, status: { enum: ["open", "paid"] }, total: { type: "number", minimum: 0, maximum: 1000 }, note: { type: "string", maxLength: 12 } },
  required: ["id", "status", "total", "note"],
};

type Sample = { ttftMs: number; totalMs: number; tokens: number };

async function one(seed: number, guided: boolean): Promise<Sample> {
  const started = performance.now();
  const res = await engine.call("chat", { model: demoModelFile, messages: [{ role: "user", content: `Request ${seed}` }], max_tokens: 128, random_seed: seed, stream: true, ...(guided ? { response_format: { type: "json_schema", json_schema: { name: "order", schema: order } } } : {}) }, signal);
  let ttftMs = -1;
  let tokens = 0;
  let buffer = "";
  for await (const part of res.body as AsyncIterable<Buffer>) {
    buffer += part.toString("utf8");
    const events = buffer.split("\n\n");
    buffer = events.pop()!;
    for (const event of events) {
      if (!event.startsWith("data: {")) continue;
      const chunk = JSON.parse(event.slice(6)) as { choices: { delta: { content?: string } }[]; usage?: { completion_tokens: number } };
      if (ttftMs < 0 && chunk.choices[0]?.delta.content) ttftMs = performance.now() - started;
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
  }
  return { ttftMs, totalMs: performance.now() - started, tokens };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function run(concurrency: number, guided: boolean) {
  let next = 0;
  const samples: Sample[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) samples.push(await one(next++, guided));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const tokens = samples.reduce((n, s) => n + s.tokens, 0);
  return { kind: guided ? "guided JSON" : "free text", concurrency, tokensPerSecond: tokens / seconds, answersPerSecond: samples.length / seconds, ttftP50: pct(samples.map((s) => s.ttftMs), 50), latencyP50: pct(samples.map((s) => s.totalMs), 50), latencyP95: pct(samples.map((s) => s.totalMs), 95), tokensPerAnswer: tokens / samples.length };
}

await one(0, false); // load the model
await one(0, true); // parse the grammar once
const rows = [];
for (const guided of [false, true]) for (const concurrency of [1, 4, 8]) rows.push(await run(concurrency, guided));
await engine.close();
fs.rmSync(dir, { recursive: true, force: true });

const table = [
  `${requests} streamed requests per row, max_tokens 128, the demo model (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, load average ${os.loadavg()[0]!.toFixed(1)} at the end)`,
  "",
  "| answer | at once | tokens/s | answers/s | tokens per answer | first token p50 (ms) | latency p50 (ms) | latency p95 (ms) |",
  "|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.kind} | ${r.concurrency} | ${r.tokensPerSecond.toFixed(0)} | ${r.answersPerSecond.toFixed(1)} | ${r.tokensPerAnswer.toFixed(0)} | ${r.ttftP50.toFixed(1)} | ${r.latencyP50.toFixed(0)} | ${r.latencyP95.toFixed(0)} |`),
].join("\n");
fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
fs.writeFileSync(path.join(root, "bench/results/local.md"), table + "\n");
console.log(table);
