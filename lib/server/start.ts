// The Bora process: one node:http listener. /healthz, /readyz, /api/manage/* and /v1/* are
// served by our own handlers (a Next route handler costs ten times the CPU of a bare proxy,
// shared/NOTES.md); every other path goes to Next.js for the console. A process mode
// (modes.ts) decides which of these, and which background work, this process takes on.
import crypto from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getConfig, type Config } from "@/lib/config";
import { openDatabase, pgliteDirFor, setDbHandle, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { BoraError } from "@/lib/errors";
import { sendError } from "@/lib/http/json";
import { log } from "@/lib/log";
import { handleManage, manageBase } from "@/lib/manage/router";
import { setSecret } from "@/lib/auth/secret";
import { closeRedis, redisFor } from "@/lib/redis";
import { bridgeEvents } from "@/lib/events-redis";
import { serveMetrics } from "@/lib/metrics/scrape";
import { observeErrorAnswer } from "@/lib/metrics/registry";
import { startTracing, stopTracing, traceRequest } from "@/lib/tracing";
import { Gateway } from "@/lib/gateway/gateway";
import { handleV1 } from "@/lib/gateway/http/router";
import { playgroundChat, playgroundFim, playgroundTokenize } from "@/lib/playground/chat";
import { modelsDir, setLocalEngine } from "@/lib/engine";
import { LocalEngine } from "@/lib/engine/local-engine";
import { ensureDemoSetup } from "@/lib/engine/demo-setup";
import { scanLocalModels } from "@/lib/engine/discovery";
import { consoleUpload } from "@/lib/files/console-upload";
import { releaseOrphanedReservations } from "@/lib/gateway/limits/spend-budget";
import { ProcessHeartbeat } from "@/lib/gateway/limits/holds";
import { setFileStore } from "@/lib/files/current-store";
import { fileStoreFor } from "@/lib/files/store-for";
import { FineTuningRunner } from "@/lib/fine-tuning/runner";
import { BatchWorker } from "@/lib/batch/worker";
import { batchHeader } from "@/lib/batch/credential";
import { configureTrainer } from "@/lib/fine-tuning/trainer-choice";
import { defaultTokenizerModel, tokenizerFor } from "@/lib/gateway/tokens";
import { registerEnvProviders } from "@/lib/gateway/env-providers";
import { rotateLocalToken } from "@/lib/services/admin-tokens";
import { ensureFirstAdmin } from "@/lib/services/bootstrap";
import { acquireLock, adminTokenPath, loadOrCreateSecret, settledHolder, updateLockUrl, writePrivateFile } from "./data-dir";
import { healthz, readyz } from "./health";
import { modeRefusal, rolesOf, type Mode } from "./modes";

export type StartOptions = {
  config?: Config;
  /** What this process serves; "all" (the default) is everything. */
  mode?: Mode;
  /** Serve the console through Next.js (false for API-only processes and tests). */
  withNext?: boolean;
  dev?: boolean;
  /** Printed once when the first admin is created; the CLI and tests capture it. */
  onFirstAdmin?: (email: string, password: string, generated: boolean) => void;
};

export type RunningBora = { url: string; port: number; mode: Mode; db: DbHandle; gateway: Gateway; close: () => Promise<void> };

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export async function startBora(opts: StartOptions = {}): Promise<RunningBora> {
  const config = opts.config ?? getConfig();
  const mode = opts.mode ?? "all";
  const refusal = modeRefusal(mode, config);
  if (refusal) throw new Error(refusal);
  const roles = rolesOf(mode);
  const secret = loadOrCreateSecret(config.dataDir, config.BORA_SECRET);
  setSecret(secret);
  // A CLI command that opened the database itself (or a server still starting) lets go within
  // seconds: wait for it rather than refuse to start. A running server is refused at once.
  if (!config.DATABASE_URL) await settledHolder(config.dataDir, 30_000, (h) => log.warn("waiting for another process to finish with the data dir", { pid: h.pid, dataDir: config.dataDir }));
  // On PGlite the lock is exclusive: a second process on the directory would corrupt it. On
  // Postgres it only tells the local CLI where a server with the management API is; further
  // replicas, and processes without that API, run without it.
  const releaseLock = !config.DATABASE_URL ? acquireLock(config.dataDir, "") : roles.console ? tryAcquireLock(config.dataDir) : noLock;
  const holdsLock = releaseLock !== noLock;
  const server = http.createServer((req, res) => void route(req, res));
  // Streams can outlive Node's 5 s keep-alive default between requests from SDK clients.
  server.keepAliveTimeout = 65_000;
  let handle: DbHandle | undefined;
  let gateway: Gateway | undefined;
  let engine: LocalEngine | undefined;
  let runner: FineTuningRunner | undefined;
  let batches: BatchWorker | undefined;
  let next: Handler | undefined;
  let stopBridge: (() => Promise<void>) | undefined;
  let heartbeat: ProcessHeartbeat | undefined;
  let ready = false;

  async function route(req: IncomingMessage, res: ServerResponse) {
    const requestId = headerValue(req.headers["x-request-id"]) || crypto.randomUUID();
    res.setHeader("x-request-id", requestId);
    const started = performance.now();
    const pathname = (req.url ?? "/").split("?")[0]!;
    res.on("finish", () => {
      if (pathname.startsWith("/_next/")) return; // static assets would drown the log
      log.info("request", { requestId, method: req.method, path: pathname, status: res.statusCode, ms: Math.round(performance.now() - started) });
    });
    try {
      if (pathname === "/healthz") return healthz(res);
      // Browsers ask for /favicon.ico on their own, whatever the page's <link rel="icon"> says.
      if (pathname === "/favicon.ico") return void res.writeHead(301, { location: "/favicon.svg", "cache-control": "public, max-age=86400" }).end();
      // Served while starting too: a scraper should see a process that is up but not ready.
      if (pathname === "/metrics") return await serveMetrics(req, res, config.BORA_METRICS_TOKEN, ready && handle && gateway ? { db: handle.db, gateway } : undefined);
      if (!ready || !handle || !gateway) throw new BoraError("unavailable:starting", "Bora is starting; try again in a moment.", { retryAfterSeconds: 1 });
      if (pathname === "/readyz") return await readyz(res, handle);
      if (pathname === "/v1" || pathname.startsWith("/v1/")) {
        const gw = gateway;
        if (roles.v1 === "public" || (roles.v1 === "batch-lines" && req.headers[batchHeader])) return await traceRequest(req, res, pathname, requestId, () => handleV1(gw, req, res, pathname, requestId));
        throw new BoraError("not_found:route", `This Bora process (${mode}) does not serve /v1: send API requests to a gateway.`);
      }
      if (roles.console) {
        if (pathname.startsWith(manageBase + "/") || pathname === manageBase) return await handleManage(req, res, pathname, requestId);
        if (pathname === "/api/playground/chat" && req.method === "POST") return await playgroundChat(gateway, req, res, requestId);
        if (pathname === "/api/playground/fim" && req.method === "POST") return await playgroundFim(gateway, req, res, requestId);
        if (pathname === "/api/playground/tokenize" && req.method === "POST") return await playgroundTokenize(gateway, req, res);
        if (pathname === "/api/console/files" && req.method === "POST") return await consoleUpload(gateway, req, res);
        if (next) return await next(req, res);
      }
      throw new BoraError("not_found:route", `The console is not served by this process (${mode}).`);
    } catch (err) {
      const sent = sendError(res, err, requestId);
      if (sent && pathname.startsWith("/v1/")) observeErrorAnswer(sent.status, sent.code);
    }
  }

  // Take the port first: a port clash should fail before anything is written anywhere.
  try {
    await listen(server, config.PORT, config.HOST);
  } catch (err) {
    releaseLock();
    throw err;
  }
  try {
    handle = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: pgliteDirFor(config.dataDir) }).catch((err: Error) => {
      const where = config.DATABASE_URL ? redact(config.DATABASE_URL) : pgliteDirFor(config.dataDir);
      throw new Error(`Cannot open the database at ${where}: ${err.message}`);
    });
    setDbHandle(handle);
    await startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, { "bora.mode": mode });
    await migrate(handle);
    const db = handle;
    // Two console processes starting together must not both create the first admin or the demo model.
    const alone = <T>(fn: () => Promise<T>) => (db.exclusive ? db.exclusive(bootstrapLockId, fn) : fn());
    const boot = roles.bootstrap ? await alone(() => ensureFirstAdmin(db.db, { email: config.BORA_ADMIN_EMAIL, password: config.BORA_ADMIN_PASSWORD })) : undefined;
    if (boot?.created) opts.onFirstAdmin?.(boot.admin.email, boot.password, boot.generated);
    // The CLI on this machine finds this token in the data dir; 0600 keeps it from other users.
    if (boot) writePrivateFile(adminTokenPath(config.dataDir), (await rotateLocalToken(handle.db, { user: boot.admin, via: "system" })) + "\n");
    // One process on PGlite: quota reservations found at start belong to a process that died.
    if (handle.driver === "pglite") await releaseOrphanedReservations(handle.db);
    // Beside other processes (Postgres), what a killed one had reserved is given back by the
    // others; PGlite has no others, and the line above did that job at start.
    if (handle.driver === "postgres") {
      heartbeat = new ProcessHeartbeat(handle.db, mode);
      await heartbeat.start();
    }
    const redisClient = redisFor(config.REDIS_URL);
    // A revoked key or a changed limit reaches the other replicas' caches at once, not after their TTL.
    if (redisClient) stopBridge = await bridgeEvents(redisClient);
    gateway = new Gateway(handle.db, secret, redisClient, await fileStoreFor(config), config.BORA_MAX_FILE_BYTES);
    setFileStore(gateway.files);
    // Building a tokenizer's vocabulary takes a few hundred ms: here, not on the first request.
    tokenizerFor(defaultTokenizerModel);
    configureTrainer(config.BORA_TRAINER_COMMAND, config.BORA_TRAINER_PROVIDER);
    if (roles.workers) {
      runner = new FineTuningRunner({ db: handle.db, files: gateway.files, dataDir: config.dataDir, secret, pollMs: config.BORA_JOB_POLL_MS });
      runner.start();
      // Batch lines go through this process's own /v1, like any client's request.
      const port = (server.address() as AddressInfo).port;
      batches = new BatchWorker({ db: handle.db, files: gateway.files, secret, gatewayUrl: () => `http://127.0.0.1:${port}`, gateway, singleProcess: handle.driver === "pglite" });
    }
    engine = new LocalEngine(modelsDir(config), { sequences: config.BORA_LOCAL_SEQUENCES, maxQueue: config.BORA_LOCAL_QUEUE, idleUnloadSeconds: config.BORA_LOCAL_IDLE_UNLOAD_SECONDS, memoryBytes: config.BORA_LOCAL_MEMORY_BYTES });
    setLocalEngine(engine);
    if (boot) {
      const system = { user: boot.admin, via: "system" } as const;
      const modelsDir = engine.modelsDir;
      await alone(() => ensureDemoSetup(db.db, system, modelsDir));
      // GGUF files put in the models dir while Bora was stopped become models now.
      await scanLocalModels(handle.db, system, engine.modelsDir).catch((err: Error) => log.error("cannot scan the models dir", { dir: engine?.modelsDir, error: err.message }));
      // Upstreams named in the environment are registered in the background: an unreachable
      // upstream must not keep Bora from starting.
      void registerEnvProviders(handle.db, system, config, secret).then(() => gateway?.catalog.invalidate());
    }
    if (opts.withNext && roles.console) next = await prepareNext(config, opts.dev ?? false);
  } catch (err) {
    server.close();
    await stopBridge?.();
    await batches?.close(0);
    await runner?.close();
    await heartbeat?.stop().catch(() => {});
    await handle?.close();
    await stopTracing();
    releaseLock();
    throw err;
  }
  ready = true;
  await batches?.start();
  const db = handle;
  const gw = gateway!;
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  if (holdsLock) updateLockUrl(config.dataDir, url);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Stop accepting, let requests and streams in flight finish (bounded), write the last
      // usage events, then close the database.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const bound = config.BORA_DRAIN_SECONDS * 1000;
      await batches?.close(bound);
      await gw.drain(bound);
      await heartbeat?.stop().catch((err: Error) => log.error("cannot give back this process's reservations", { error: err.message }));
      await runner?.close();
      await engine?.close();
      server.closeAllConnections();
      await closed;
      await db.close();
      await stopTracing();
      await stopBridge?.();
      await closeRedis();
      releaseLock();
    })());

  return { url, port, mode, db, gateway: gw, close };
}

const noLock = () => {};
// A Postgres advisory lock id of Bora's own (migrations use another, lib/db/migrate.ts).
const bootstrapLockId = 0x0b02b;

function tryAcquireLock(dataDir: string): () => void {
  try {
    return acquireLock(dataDir, "");
  } catch {
    return noLock;
  }
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") reject(new Error(`Port ${port} is already in use. Stop the other process or set PORT.`));
      else reject(err);
    });
    server.listen(port, host, () => resolve());
  });
}

async function prepareNext(config: Config, dev: boolean): Promise<Handler> {
  // next-auth builds its URLs from the request's host unless a public URL is configured.
  if (config.BORA_PUBLIC_URL) process.env.NEXTAUTH_URL = config.BORA_PUBLIC_URL;
  else process.env.AUTH_TRUST_HOST ??= "1";
  const { default: createNext } = await import("next");
  const app = createNext({ dev, dir: process.cwd(), port: config.PORT });
  await app.prepare();
  const handler = app.getRequestHandler();
  return (req, res) => handler(req, res);
}

function headerValue(v: string | string[] | undefined): string {
  const value = Array.isArray(v) ? v[0] : v;
  // Only echo ids that are safe to log and return.
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : "";
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid DATABASE_URL)";
  }
}
