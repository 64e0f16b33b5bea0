// Every request leaves one usage event: whole answers, streams, streams the client abandons,
// and streams the upstream abandons. Fallback, retries, timeouts and the circuit breaker.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deployments, usageEvents } from "@/db/schema";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture;

beforeAll(async () => {
  fx = await startGatewayFixture();
});
afterAll(() => fx?.close());
beforeEach(() => {
  fx.sim.faults.length = 0;
  fx.sim.requests.length = 0;
  fx.sim.options.tokensPerSecond = 0;
});

function post(body: Record<string, unknown>, signal?: AbortSignal, requestId = crypto.randomUUID()) {
  return fetch(`${fx.bora.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${fx.key}`, "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "count the words of this prompt please" }], ...body }),
    signal,
  });
}

async function eventFor(requestId: string) {
  for (let i = 0; i < 100; i++) {
    await fx.bora.gateway.meter.flush();
    const [row] = await fx.bora.db.db.select().from(usageEvents).where(eq(usageEvents.requestId, requestId));
    if (row) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no usage event for ${requestId}`);
}

describe("metering", () => {
  it("records a whole answer with the upstream's usage and its cost", async () => {
    const id = crypto.randomUUID();
    const res = await post({}, undefined, id);
    const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    const ev = await eventFor(id);
    expect(ev).toMatchObject({ status: "ok", httpStatus: 200, model: "small", endpoint: "chat", origin: "api", promptTokens: body.usage.prompt_tokens, completionTokens: body.usage.completion_tokens });
    // small costs $0.10 in and $0.30 out per million tokens: nanodollars are tokens × 100 and × 300.
    expect(ev.costNanos).toBe(body.usage.prompt_tokens * 100 + body.usage.completion_tokens * 300);
    expect(ev.ttftMs).toBeNull();
  });

  it("records a stream from its final usage, with time to first token", async () => {
    const id = crypto.randomUUID();
    const text = await (await post({ stream: true }, undefined, id)).text();
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
    const ev = await eventFor(id);
    expect(ev.status).toBe("ok");
    expect(ev.completionTokens).toBe(13);
    expect(ev.ttftMs).toBeGreaterThanOrEqual(0);
  });

  it("counts the tokens a client received before it disconnected", async () => {
    fx.sim.options.tokensPerSecond = 40;
    const id = crypto.randomUUID();
    const abort = new AbortController();
    const res = await post({ stream: true }, abort.signal, id);
    const reader = res.body!.getReader();
    let received = "";
    while ((received.match(/"content":"[^"]+"/g) ?? []).length < 4) received += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const ev = await eventFor(id);
    expect(ev.status).toBe("client_closed");
    expect(ev.completionTokens).toBeGreaterThanOrEqual(3);
    expect(ev.completionTokens).toBeLessThan(13);
    expect(ev.promptTokens).toBeGreaterThan(0); // counted with the tokenizer, since no usage arrived
    expect(ev.costNanos).toBeGreaterThan(0);
  });

  it("stops waiting on the upstream when the client leaves before the answer, and meters that", async () => {
    fx.sim.faults.push({ kind: "hang", times: 1 });
    const id = crypto.randomUUID();
    const abort = new AbortController();
    const sent = post({}, abort.signal, id).catch((err: Error) => err);
    while (!fx.sim.requests.some((r) => r.path === "/v1/chat/completions")) await new Promise((r) => setTimeout(r, 10));
    const left = performance.now();
    abort.abort();
    expect(await sent).toBeInstanceOf(Error);
    const ev = await eventFor(id);
    expect(ev.status).toBe("client_closed");
    // The deployment's timeout is a minute: the event comes from the cancel, not from a timeout.
    expect(performance.now() - left).toBeLessThan(5_000);
    expect(fx.bora.gateway.inFlight).toBe(0);
  });

  it("ends the stream with an error event when the upstream dies mid-stream, and meters it", async () => {
    fx.sim.faults.push({ kind: "drop-mid-stream", times: 1 });
    const id = crypto.randomUUID();
    const res = await post({ stream: true }, undefined, id);
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split("\n\n").filter(Boolean);
    const last = JSON.parse(events.at(-1)!.slice(6)) as { object: string; message: string };
    expect(last.object).toBe("error");
    expect(last.message).toMatch(/lost mid-stream/);
    expect(text).not.toContain("[DONE]");
    const ev = await eventFor(id);
    expect(ev).toMatchObject({ status: "error", httpStatus: 502, errorType: "upstream_stream" });
    expect(ev.completionTokens).toBeGreaterThan(0);
  });
});

describe("resilience", () => {
  it("falls back to the next deployment when one cannot be reached", async () => {
    const id = crypto.randomUUID();
    const res = await post({ model: "resilient" }, undefined, id);
    expect(res.status).toBe(200);
    const ev = await eventFor(id);
    const [sim] = await fx.bora.db.db.select().from(deployments).where(eq(deployments.id, ev.deploymentId!));
    expect(sim?.upstreamModel).toBe("sim-small");
    expect(fx.sim.requests).toHaveLength(1);
  });

  it("opens the circuit of a failing deployment and stops trying it", async () => {
    for (let i = 0; i < 3; i++) expect((await post({ model: "resilient" })).status).toBe(200);
    const catalog = await fx.bora.gateway.catalog.get("resilient");
    const dead = catalog!.deployments.find((d) => d.provider.name === "dead")!;
    expect(fx.bora.gateway.breaker.isOpen(dead.id)).toBe(true);
    const started = performance.now();
    expect((await post({ model: "resilient" })).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("retries a 429 after the upstream's Retry-After", async () => {
    fx.sim.faults.push({ kind: "429", times: 1, retryAfter: 1 });
    const started = performance.now();
    const res = await post({});
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(fx.sim.requests).toHaveLength(2);
  });

  it("gives 429 with Retry-After when every attempt is rate limited, and 502 for upstream errors", async () => {
    fx.sim.faults.push({ kind: "429", times: 2, retryAfter: 1 });
    const limited = await post({});
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    fx.sim.faults.push({ kind: "500", times: 2 });
    const failed = await post({});
    expect(failed.status).toBe(502);
    expect(((await failed.json()) as { message: string }).message).toMatch(/Simulated 500/);
  });

  it("gives 504 when the upstream does not answer within the deployment's timeout", async () => {
    const catalog = await fx.bora.gateway.catalog.get("small");
    await fx.bora.db.db.update(deployments).set({ timeoutMs: 300 }).where(eq(deployments.id, catalog!.deployments[0]!.id));
    fx.bora.gateway.catalog.invalidate();
    fx.sim.faults.push({ kind: "hang", times: 2 });
    const id = crypto.randomUUID();
    const res = await post({}, undefined, id);
    expect(res.status).toBe(504);
    expect((await eventFor(id)).status).toBe("error");
    await fx.bora.db.db.update(deployments).set({ timeoutMs: 60_000 }).where(eq(deployments.id, catalog!.deployments[0]!.id));
    fx.bora.gateway.catalog.invalidate();
  });

  it("passes an upstream's refusal of the request through with its status and reason", async () => {
    fx.sim.faults.push({ kind: "400", times: 1 });
    const res = await post({});
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/refused the request: Simulated 400/);
  });
});

describe("shutdown", () => {
  it("lets a stream in flight finish and writes its usage before exiting", async () => {
    fx.sim.options.tokensPerSecond = 30;
    const id = crypto.randomUUID();
    const res = await post({ stream: true }, undefined, id);
    const body = res.text();
    await new Promise((r) => setTimeout(r, 100));
    const closing = fx.bora.close();
    expect(await body).toContain("data: [DONE]");
    await closing;
    // close() drained the stream, then flushed the meter before closing the database.
    expect(fx.bora.gateway.meter.pending).toBe(0);
  });
});
