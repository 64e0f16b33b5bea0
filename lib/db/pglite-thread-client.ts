// The main thread's side of lib/db/pglite-thread.mjs: what drizzle's PGlite driver calls on a
// PGlite instance (query, transaction), sent to the database's own thread. See that file for why.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { log } from "@/lib/log";

type QueryOptions = { rowMode?: "array" | "object"; parsers?: Record<number, unknown> };
type Result = { rows: unknown[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number };
type Reply = { id: number; result?: unknown; error?: Record<string, unknown> };
type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

// Computed at run time, not `new URL(literal, import.meta.url)`: bundlers would try to bundle it.
const threadFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "pglite-thread.mjs");

/** A transaction's handle: queries that run inside it. */
class ThreadTransaction {
  constructor(
    private readonly thread: PGliteThread,
    readonly id: number,
  ) {}

  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Result> {
    return this.thread.query(sql, params, options, this.id);
  }
}

export class PGliteThread {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failed: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (m: Reply) => this.settle(m));
    worker.on("error", (err) => {
      log.error("the database thread failed", { err });
      this.fail(err);
    });
    worker.on("exit", (code) => this.fail(new Error(`The database thread exited (code ${code}).`)));
    // Idle, the thread must not keep the process alive (a CLI exits when its work is done);
    // while a query is out, it must.
    worker.unref();
  }

  /**
   * Opens the data dir (or an in-memory database) on a new thread; resolves once it is ready.
   * `template`: a dump (`dumpDataDir`) to start an in-memory database from.
   */
  static open(dataDir?: string, template?: string): Promise<PGliteThread> {
    const worker = new Worker(threadFile, { workerData: { dataDir, template } });
    return new Promise((resolve, reject) => {
      worker.once("message", (m: { ready: boolean; error?: Record<string, unknown> }) => {
        if (m.ready) resolve(new PGliteThread(worker));
        else {
          void worker.terminate();
          reject(toError(m.error ?? {}));
        }
      });
      worker.once("error", reject);
    });
  }

  query(sql: string, params: unknown[] = [], options: QueryOptions = {}, tx?: number): Promise<Result> {
    const rawTypes = options.parsers ? Object.keys(options.parsers).map(Number) : undefined;
    return this.call({ op: "query", sql, params, rowMode: options.rowMode, rawTypes, tx }) as Promise<Result>;
  }

  /** As PGlite's: commits when fn resolves, rolls back when it throws. */
  async transaction<T>(fn: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const id = this.nextId++;
    await this.call({ op: "begin" }, id);
    let result: T;
    try {
      result = await fn(new ThreadTransaction(this, id));
    } catch (err) {
      await this.call({ op: "end", tx: id, commit: false });
      throw err;
    }
    await this.call({ op: "end", tx: id, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (!this.failed) await this.call({ op: "close" });
    this.failed ??= new Error("The database is closed.");
    await this.worker.terminate();
  }

  private call(message: Record<string, unknown>, id = this.nextId++): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private settle(m: Reply) {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker.unref();
    if (m.error) p.reject(toError(m.error));
    else p.resolve(m.result);
  }

  private fail(err: Error) {
    this.failed ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

function toError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message ?? "database error")), fields);
}
