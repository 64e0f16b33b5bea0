import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { CatalogDeployment } from "@/lib/gateway/catalog";
import { Cancel } from "@/lib/gateway/cancel";
import { callUpstream } from "@/lib/gateway/upstream";
import { RequestCancelled, RequestTimeout } from "./client";
import type { ResponseBody } from "./response-body";

// The HTTP client, through the gateway's upstream call, against small real servers, each
// written to misbehave one way.

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: { requests: number; connections: number }) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => (s.closeAllConnections(), s.close(r)));
});

async function serve(handler: Handler) {
  const seen = { requests: 0, connections: 0, paths: [] as string[], headers: [] as http.IncomingHttpHeaders[] };
  const server = http.createServer((req, res) => {
    seen.requests++;
    seen.paths.push(req.url!);
    seen.headers.push(req.headers);
    req.resume();
    req.on("end", () => handler(req, res, seen));
  });
  server.on("connection", () => seen.connections++);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function deployment(baseUrl: string, timeoutMs = 2_000): CatalogDeployment {
  return { id: "d1", upstreamModel: "m", priority: 0, timeoutMs, provider: { id: "p1", name: "p", kind: "mistral", baseUrl, apiKey: "sk-up", region: null } };
}

const chat = { path: "/v1/chat/completions", body: { model: "m", messages: [] } };

function call(baseUrl: string, timeoutMs?: number, cancel = new Cancel()) {
  return callUpstream(deployment(baseUrl, timeoutMs), chat, cancel);
}

describe("the HTTP client", () => {
  it("sends to the base URL's path with the provider's key, and reuses one connection", async () => {
    const up = await serve((_req, res) => res.end('{"ok":true}'));
    for (let i = 0; i < 3; i++) {
      const answer = await call(up.url + "/openai/");
      expect(answer.statusCode).toBe(200);
      expect(await answer.body.text()).toBe('{"ok":true}');
    }
    expect(up.seen.paths).toEqual(Array(3).fill("/openai/v1/chat/completions"));
    expect(up.seen.headers[0]).toMatchObject({ authorization: "Bearer sk-up", accept: "application/json", "content-type": "application/json" });
    expect(up.seen.connections).toBe(1);
  });

  it("refuses a header it cannot send, at once and without a request", async () => {
    const up = await serve((_req, res) => res.end("{}"));
    const d = deployment(up.url);
    d.provider.apiKey = "sk-bad\nkey";
    await expect(callUpstream(d, chat, new Cancel())).rejects.toThrow(/header/i);
    expect(up.seen.requests).toBe(0);
  });

  it("times out waiting for the answer's head", async () => {
    const up = await serve(() => {});
    await expect(call(up.url, 300)).rejects.toEqual(expect.objectContaining({ phase: "head" }));
  });

  it("fails the body when the upstream stalls between chunks, and when it closes mid-answer", async () => {
    const stall = await serve((_req, res) => res.write("data: one\n\n"));
    const a = await call(stall.url, 300);
    const seen: string[] = [];
    const err = await (a.body as ResponseBody).read((c) => void seen.push(c.toString())).catch((e: unknown) => e);
    expect(seen).toEqual(["data: one\n\n"]);
    expect(err).toBeInstanceOf(RequestTimeout);
    expect((err as RequestTimeout).phase).toBe("body");

    const drop = await serve((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n", () => setTimeout(() => req.socket.destroy(), 20));
    });
    const b = await call(drop.url);
    await expect(b.body.text()).rejects.toThrow();
  });

  it("stops the call when its client goes away", async () => {
    let closed = false;
    const up = await serve((req) => req.socket.on("close", () => (closed = true)));
    const cancel = new Cancel();
    const pending = call(up.url, 5_000, cancel);
    await new Promise((r) => setTimeout(r, 100));
    cancel.cancel();
    await expect(pending).rejects.toBeInstanceOf(RequestCancelled);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
  });

  it("sends again, once, when a pooled connection was closed under it, but never on a fresh one", async () => {
    // Each connection answers its first request and drops its second unanswered: what a server
    // closing an idle connection as a request reaches it looks like.
    const perSocket = new WeakMap<object, number>();
    const up = await serve((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n === 1) res.end('{"ok":true}');
      else req.socket.destroy();
    });
    await (await call(up.url)).body.text();
    const again = await call(up.url);
    expect(await again.body.text()).toBe('{"ok":true}');
    expect(up.seen).toMatchObject({ requests: 3, connections: 2 });

    const refuse = await serve((req) => req.socket.destroy());
    await expect(call(refuse.url)).rejects.toThrow();
    expect(refuse.seen.requests).toBe(1);
  });
});
