// Databases for tests: each test file gets its own, so runs never collide. On PGlite a copy of
// a migrated template (initdb costs seconds; loading a copy well under one); on Postgres, when
// DATABASE_URL is set, a fresh database created for the file and dropped after it.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle as pgliteDrizzle } from "drizzle-orm/pglite";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { openDatabase, type Db, type DbHandle } from "@/lib/db/client";
import { migrate, migrationsFolder } from "@/lib/db/migrate";

function migrationsHash(): string {
  const hash = crypto.createHash("sha256");
  for (const f of fs.readdirSync(migrationsFolder).sort()) if (f.endsWith(".sql")) hash.update(fs.readFileSync(path.join(migrationsFolder, f)));
  return hash.digest("hex").slice(0, 16);
}

export function templatePath(): string {
  return path.join(os.tmpdir(), `bora-pglite-template-${migrationsHash()}.tar`);
}

/** Builds the migrated PGlite template once per set of migrations (vitest's globalSetup calls it). */
export async function ensurePgliteTemplate(): Promise<string> {
  const file = templatePath();
  if (fs.existsSync(file)) return file;
  const pg = new PGlite();
  await migrate({ db: pgliteDrizzle(pg, { schema }) as unknown as Db, driver: "pglite", close: () => pg.close() });
  const dump = await pg.dumpDataDir("none");
  await pg.close();
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  return file;
}

function templateBlob(): Blob {
  return new Blob([fs.readFileSync(templatePath())]);
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL!;
  const name = `bora_t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** A migrated database for one test file. Close it in afterAll. */
export async function testDatabase(): Promise<DbHandle> {
  if (usingPostgres()) {
    const created = await createPostgresDatabase();
    const handle = await openDatabase({ databaseUrl: created.url });
    await migrate(handle);
    return {
      ...handle,
      async close() {
        await handle.close();
        await created.drop();
      },
    };
  }
  // Opened as the server opens it (on the database thread): the tests take the path production takes.
  return openDatabase({ pgliteTemplate: templatePath() });
}

/** Unpacks the migrated template into a PGlite directory (for a server, or a test, to open). */
export async function unpackPgliteTemplate(dir: string): Promise<void> {
  const pg = new PGlite(dir, { loadDataDir: templateBlob() });
  await pg.waitReady;
  await pg.close();
}

/** A data dir (and database) for starting a whole Bora process in a test. */
export async function testDataDir(): Promise<{ dataDir: string; env: Record<string, string>; cleanup: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-test-"));
  const env: Record<string, string> = { BORA_DATA_DIR: dataDir };
  let drop = async () => {};
  if (usingPostgres()) {
    const created = await createPostgresDatabase();
    env.DATABASE_URL = created.url;
    drop = created.drop;
  } else {
    await unpackPgliteTemplate(path.join(dataDir, "pglite"));
  }
  return {
    dataDir,
    env,
    async cleanup() {
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
