// GET /metrics: Prometheus's text format. Without BORA_METRICS_TOKEN only a client on this
// machine may read it (and not through a proxy: a proxy on localhost would make every caller
// look local); with it, only a request with `Authorization: Bearer $BORA_METRICS_TOKEN`.
// Gauges that look elsewhere are refreshed here, on scrape, with a few small queries.
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { BoraError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Gateway } from "@/lib/gateway/gateway";
import { metrics } from "./registry";
import { rowsOf } from "@/lib/db/rows";

type Source = { db: Db; gateway: Gateway };
type Counted = { status: string; n: number; age: number };

const loopback = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function mayScrape(req: IncomingMessage, token: string | undefined): boolean {
  if (token) {
    const given = Buffer.from(req.headers.authorization ?? "");
    const wanted = Buffer.from(`Bearer ${token}`);
    return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
  }
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined;
  return !proxied && loopback.has(req.socket.remoteAddress ?? "");
}

export async function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined, source: Source | undefined): Promise<void> {
  if (req.method !== "GET") throw new BoraError("bad_request:method", "Use GET on /metrics.");
  if (!mayScrape(req, token)) {
    throw new BoraError("forbidden:metrics", token ? "Send `Authorization: Bearer <BORA_METRICS_TOKEN>` to read /metrics." : "/metrics answers only on this machine; set BORA_METRICS_TOKEN to scrape it from elsewhere.");
  }
  const m = metrics();
  if (source) {
    await refresh(source).catch((err: Error) => {
      m.refreshErrors.inc();
      log.warn("refreshing metrics gauges failed", { err: err.message });
    });
  }
  const text = await m.registry.metrics();
  res.writeHead(200, { "content-type": m.registry.contentType, "cache-control": "no-store" });
  res.end(text);
}

async function refresh({ db, gateway }: Source): Promise<void> {
  const g = metrics().gauges;
  const lag = gateway.meter.oldestPendingAt;
  g.meterLag.set(lag === undefined ? 0 : Math.max(0, (Date.now() - lag) / 1000));
  g.meterPending.set(gateway.meter.pending);
  g.circuit.reset();
  for (const c of gateway.breaker.circuits()) g.circuit.labels(c.provider, c.id).set(c.state === "open" ? 1 : c.state === "half_open" ? 2 : 0);
  // Each uses a status index, and finished jobs (the many) are never read.
  const [batchJobs, batchLines, jobs] = await Promise.all([
    db.execute(sql`select status, count(*)::int as n, extract(epoch from now() - min(created_at))::float8 as age from batch_jobs where status in ('QUEUED', 'RUNNING', 'CANCELLATION_REQUESTED') group by status`),
    db.execute(sql`select count(*)::int as n from batch_lines l join batch_jobs j on j.id = l.batch_id where j.status in ('QUEUED', 'RUNNING') and l.status = 'pending'`),
    db.execute(sql`select status, count(*)::int as n, extract(epoch from now() - min(created_at))::float8 as age from fine_tuning_jobs where status in ('QUEUED', 'STARTED', 'VALIDATING', 'VALIDATED', 'RUNNING', 'CANCELLATION_REQUESTED') group by status`),
  ]);
  g.batchJobs.reset();
  g.batchAge.reset();
  for (const r of rowsOf<Counted>(batchJobs)) {
    g.batchJobs.labels(r.status).set(Number(r.n));
    g.batchAge.labels(r.status).set(Number(r.age));
  }
  g.batchLines.set(Number(rowsOf<Counted>(batchLines)[0]?.n ?? 0));
  g.fineTuningJobs.reset();
  g.fineTuningAge.reset();
  for (const r of rowsOf<Counted>(jobs)) {
    g.fineTuningJobs.labels(r.status).set(Number(r.n));
    g.fineTuningAge.labels(r.status).set(Number(r.age));
  }
}
