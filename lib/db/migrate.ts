// Applies drizzle-kit's generated SQL migrations. Safe to run on every start and from several
// processes: drizzle records applied migrations and skips them, and on Postgres an advisory lock
// lets one process at a time migrate (replicas starting together would otherwise both try).
import { fileURLToPath } from "node:url";
import type { DbHandle } from "./client";

// Beside the sources, not the working directory: the CLI may run from anywhere.
export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

// Any fixed number: Bora's own, so no other application's advisory locks collide with it.
const migrationLockId = 0x0b02a;

export async function migrate(handle: DbHandle, folder = migrationsFolder): Promise<void> {
  if (handle.driver === "postgres") {
    const { migrate: run } = await import("drizzle-orm/postgres-js/migrator");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const apply = () => run(handle.db as any, { migrationsFolder: folder });
    await (handle.exclusive ? handle.exclusive(migrationLockId, apply) : apply());
  } else {
    const { migrate: run } = await import("drizzle-orm/pglite/migrator");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await run(handle.db as any, { migrationsFolder: folder });
  }
}

/** True when every migration in the folder has been applied (the readiness check). */
export async function migrationsApplied(handle: DbHandle, folder = migrationsFolder): Promise<boolean> {
  const { readMigrationFiles } = await import("drizzle-orm/migrator");
  const expected = readMigrationFiles({ migrationsFolder: folder });
  const { sql } = await import("drizzle-orm");
  try {
    const rows = (await handle.db.execute(sql`select hash from drizzle.__drizzle_migrations`)) as unknown;
    const list = Array.isArray(rows) ? rows : ((rows as { rows: unknown[] }).rows ?? []);
    const applied = new Set((list as { hash: string }[]).map((r) => r.hash));
    return expected.every((m) => applied.has(m.hash));
  } catch {
    return false;
  }
}
