// /metrics against the usage events of a known run: requests that pass, requests refused by a
// key's RPM, a stream and a fallback past a dead provider. The text is parsed as a scraper would
// (a small parser of Prometheus's text format below), and each counter must equal what
// usage_events holds for the run.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

type Sample = { name: string; labels: Record<string, string>; value: number };
type Scrape = { types: Map<string, string>; samples: Sample[] };

// Prometheus text format 0.0.4: `# TYPE name kind`, `# HELP …`, and `name{a="b",…} value`,
// with \\, \" and \n escaped inside label values.
function parsePrometheus(text: string): Scrape {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    if (line.startsWith("#")) {
      const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type) types.set(type[1]!, type[2]!);
      else if (!line.startsWith("# HELP ")) throw new Error(`unexpected comment: ${line}`);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[3] ?? "";
    const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    let l: RegExpExecArray | null;
    while ((l = label.exec(body))) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    if (label.lastIndex !== 0 && label.lastIndex !== body.length) throw new Error(`bad labels: ${line}`);
    if (body && label.lastIndex === 0 && !Object.keys(labels).length) throw new Error(`bad labels: ${line}`);
    const value = m[4] === "+Inf" ? Infinity : m[4] === "-Inf" ? -Infinity : Number(m[4]);
    if (Number.isNaN(value) && m[4] !== "NaN") throw new Error(`bad value: ${line}`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, samples };
}

/** Sum of the samples named `name` whose labels include `where`. */
function sum(s: Scrape, name: string, where: Record<string, string> = {}): number {
  return s.samples.filter((x) => x.name === name && Object.entries(where).every(([k, v]) => x.labels[k] === v)).reduce((a, x) => a + x.value, 0);
}

let fx: GatewayFixture;

beforeAll(async () => {
  fx = await startGatewayFixture();
});
afterAll(() => fx?.close());

async function scrape(headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(`${fx.bora.url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return parsePrometheus(await res.text());
}

const chat = (key: string, model: string, stream = false) =>
  fetch(`${fx.bora.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "count me" }] }),
  }).then(async (r) => (await r.arrayBuffer(), r.status));

describe("/metrics", () => {
  it("parses the text format, escapes included", () => {
    const s = parsePrometheus('# HELP x_total A help.\n# TYPE x_total counter\nx_total{a="q\\"u\\\\o",b="2"} 3\ny 1.5e3\nz{le="+Inf"} +Inf\n');
    expect(s.types.get("x_total")).toBe("counter");
    expect(s.samples).toEqual([
      { name: "x_total", labels: { a: 'q"u\\o', b: "2" }, value: 3 },
      { name: "y", labels: {}, value: 1500 },
      { name: "z", labels: { le: "+Inf" }, value: Infinity },
    ]);
    expect(() => parsePrometheus("x_total{a=1} 3")).toThrow();
  });

  it("counts what the usage events hold: requests, tokens, latency, time to first token and refusals", async () => {
    const before = await scrape();
    const limited = await fx.newKey({ rpm: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await chat(limited, "small"));
    statuses.push(await chat(fx.key, "small", true));
    statuses.push(await chat(fx.key, "resilient"));
    statuses.push(await chat("bora_nosuchkey_000000000000", "small"));
    statuses.push(await chat(fx.key, "no-such-model"));
    expect(statuses).toEqual([200, 200, 200, 429, 429, 200, 200, 401, 404]);
    await fx.bora.gateway.meter.flush();
    const after = await scrape();

    expect(after.types.get("bora_requests_total")).toBe("counter");
    expect(after.types.get("bora_request_duration_seconds")).toBe("histogram");
    expect(after.types.get("bora_time_to_first_token_seconds")).toBe("histogram");
    const delta = (name: string, where: Record<string, string> = {}) => sum(after, name, where) - sum(before, name, where);

    const events = (await fx.bora.db.db.execute(sql`
      select endpoint, model, status, count(*)::int as n, sum(prompt_tokens)::int as prompt, sum(completion_tokens)::int as completion, count(ttft_ms)::int as streamed
      from usage_events group by endpoint, model, status`)) as unknown;
    const rows = (Array.isArray(events) ? events : (events as { rows: unknown[] }).rows) as { endpoint: string; model: string; status: string; n: number; prompt: number; completion: number; streamed: number }[];
    // The run is all this database has seen: 3 + 1 + 1 requests reached a model.
    expect(rows.reduce((a, r) => a + r.n, 0)).toBe(5);
    expect(delta("bora_requests_total")).toBe(5);
    for (const r of rows) {
      const labels = { endpoint: r.endpoint, model: r.model, status: r.status };
      expect(delta("bora_requests_total", labels)).toBe(r.n);
      expect(delta("bora_request_duration_seconds_count", labels)).toBe(r.n);
      expect(delta("bora_request_duration_seconds_bucket", { ...labels, le: "+Inf" })).toBe(r.n);
      expect(delta("bora_time_to_first_token_seconds_count", { endpoint: r.endpoint, model: r.model })).toBe(r.streamed);
    }
    for (const model of ["small", "resilient"]) {
      const of = rows.filter((r) => r.model === model);
      expect(delta("bora_prompt_tokens_total", { model })).toBe(of.reduce((a, r) => a + r.prompt, 0));
      expect(delta("bora_completion_tokens_total", { model })).toBe(of.reduce((a, r) => a + r.completion, 0));
      expect(delta("bora_completion_tokens_total", { model })).toBeGreaterThan(0);
    }
    expect(delta("bora_time_to_first_token_seconds_count")).toBe(1);
    // Refusals write no usage event; they are counted by the limit that refused them.
    expect(delta("bora_limit_refusals_total", { limit: "requests_per_minute" })).toBe(2);
    expect(delta("bora_limit_refusals_total")).toBe(2);
    // Every error answer is counted by status and code, those that never reached a model too.
    expect(delta("bora_error_answers_total", { status: "429" })).toBe(2);
    expect(delta("bora_error_answers_total", { status: "401" })).toBe(1);
    expect(delta("bora_error_answers_total", { status: "404" })).toBe(1);
    expect(delta("bora_error_answers_total")).toBe(4);
    // The dead provider failed to connect (twice: first try and its retry round at most).
    expect(delta("bora_upstream_errors_total", { provider: "dead", kind: "connect" })).toBeGreaterThanOrEqual(1);
    expect(after.samples.find((x) => x.name === "bora_circuit_breaker_state" && x.labels.provider === "dead")).toBeDefined();
    expect(sum(after, "bora_metering_pending_events")).toBe(0);
    expect(sum(after, "bora_metering_flush_lag_seconds")).toBe(0);
    expect(after.samples.some((x) => x.name === "bora_batch_pending_lines")).toBe(true);
    // The queue gauges' queries ran on this driver.
    expect(sum(after, "bora_metrics_refresh_errors_total")).toBe(0);
  });

  it("refuses a request that came through a proxy when no token is set", async () => {
    const res = await fetch(`${fx.bora.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "forbidden:metrics" });
  });
});
