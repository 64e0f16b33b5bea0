// Traces reach an OTLP/HTTP collector (a small receiver here, reading the JSON encoding): a
// request's server span continues the caller's trace, each upstream attempt is a child span,
// and the upstream receives the trace context of its attempt.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";
import { flushTracing } from "./tracing";

type OtlpValue = { stringValue?: string; intValue?: string | number };
type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: { key: string; value: OtlpValue }[] };
type OtlpExport = { resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] };

let fx: GatewayFixture;
let collector: http.Server;
const exports: OtlpExport[] = [];

beforeAll(async () => {
  collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v1/traces") exports.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpExport);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => collector.listen(0, "127.0.0.1", r));
  fx = await startGatewayFixture({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` });
});

afterAll(async () => {
  await fx?.close();
  collector.close();
});

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined);
};

it("traces a request through the gateway to each upstream attempt, in the caller's trace", async () => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const callerSpan = "00f067aa0ba902b7";
  // "resilient" tries a dead provider first, then falls back to the simulator.
  const res = await fetch(`${fx.bora.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json", traceparent: `00-${traceId}-${callerSpan}-01` },
    body: JSON.stringify({ model: "resilient", messages: [{ role: "user", content: "trace me" }] }),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  await fx.bora.gateway.meter.flush();

  const spans = () => exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))).filter((s) => s.traceId === traceId);
  const deadline = Date.now() + 10_000;
  while (spans().length < 3 && Date.now() < deadline) {
    await flushTracing();
    await new Promise((r) => setTimeout(r, 50));
  }
  const server = spans().find((s) => s.kind === 2)!;
  expect(server.name).toBe("POST /v1/chat/completions");
  expect(server.parentSpanId).toBe(callerSpan);
  expect(attr(server, "http.response.status_code")).toBe(200);
  expect(attr(server, "bora.model")).toBe("resilient");
  expect(attr(server, "gen_ai.usage.output_tokens")).toBeGreaterThan(0);

  const attempts = spans().filter((s) => s.kind === 3);
  expect(attempts.map((s) => s.name)).toEqual(["upstream dead", "upstream sim"]);
  for (const a of attempts) expect(a.parentSpanId).toBe(server.spanId);
  expect(attr(attempts[1]!, "http.response.status_code")).toBe(200);
  expect(attr(attempts[1]!, "bora.upstream_model")).toBe("sim-small");

  // The simulator got the trace context of the attempt that reached it.
  const upstream = fx.sim.requests.find((r) => r.traceparent?.includes(traceId));
  expect(upstream?.traceparent).toBe(`00-${traceId}-${attempts[1]!.spanId}-01`);
  const resource = exports[0]!.resourceSpans[0]!.resource.attributes;
  expect(resource.find((a) => a.key === "service.name")?.value.stringValue).toBe("bora");
});
