// The database handle. One code path, two drivers: postgres.js when DATABASE_URL is set,
// embedded PGlite under the data dir when it is not. The handle lives in one promise on
// globalThis because the custom server, Next's route bundles and dev reloads each load this
// module separately, and a PGlite directory must only ever be opened once per process.
import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "@/db/schema";
import { getConfig } from "@/lib/config";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbHandle = {
  db: Db;
  driver: "postgres" | "pglite";
  close: () => Promise<void>;
  /** Runs fn while this process holds a Postgres advisory lock (several processes share one database); PGlite has one process, so none is needed. */
  exclusive?: <T>(lockId: number, fn: () => Promise<T>) => Promise<T>;
};

/** `pgliteTemplate`: a dump (`dumpDataDir`) an in-memory PGlite starts from (tests' migrated template). */
type Opener = { databaseUrl?: string; pgliteDir?: string; pgliteTemplate?: string };

const globalKey = Symbol.for("bora.db");
type Holder = { [globalKey]?: Promise<DbHandle> };

export async function openDatabase({ databaseUrl, pgliteDir, pgliteTemplate }: Opener): Promise<DbHandle> {
  if (databaseUrl) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    // onnotice: Postgres reports "relation already exists, skipping" on idempotent DDL.
    const sql = postgres(databaseUrl, { max: 10, onnotice: () => {}, connect_timeout: 10 });
    await sql`select 1`;
    const exclusive = async <T>(lockId: number, fn: () => Promise<T>): Promise<T> => {
      // A session lock lives on one connection: reserve one from the pool and hold it meanwhile.
      const conn = await sql.reserve();
      try {
        await conn`select pg_advisory_lock(${lockId})`;
        try {
          return await fn();
        } finally {
          await conn`select pg_advisory_unlock(${lockId})`;
        }
      } finally {
        conn.release();
      }
    };
    return { db: drizzle(sql, { schema }) as unknown as Db, driver: "postgres", close: () => sql.end({ timeout: 5 }), exclusive };
  }
  // PGlite on a thread of its own (lib/db/pglite-thread.mjs): its statements run synchronously,
  // and on the main thread they would stop the gateway's event loop.
  const [{ PGliteThread }, { drizzle }] = await Promise.all([import("./pglite-thread-client"), import("drizzle-orm/pglite")]);
  const inMemory = pgliteDir === "memory://" || !pgliteDir;
  if (!inMemory) fs.mkdirSync(pgliteDir, { recursive: true });
  const client = await PGliteThread.open(inMemory ? undefined : pgliteDir, inMemory ? pgliteTemplate : undefined);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drizzle calls only query and transaction, which the thread client has
  return { db: drizzle(client as any, { schema }) as unknown as Db, driver: "pglite", close: () => client.close() };
}

export function pgliteDirFor(dataDir: string): string {
  return path.join(dataDir, "pglite");
}

/** The process-wide database. The first caller opens it; a server must open it before serving. */
export function getDbHandle(): Promise<DbHandle> {
  const holder = globalThis as Holder;
  if (!holder[globalKey]) {
    const config = getConfig();
    holder[globalKey] = openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: pgliteDirFor(config.dataDir) });
  }
  return holder[globalKey];
}

/** Install an already-open handle as the process's database (the server at start, and tests). */
export function setDbHandle(handle: DbHandle): void {
  (globalThis as Holder)[globalKey] = Promise.resolve(handle);
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}
