// GET /healthz: the process is up. GET /readyz: the database answers and every migration is applied.
import type { ServerResponse } from "node:http";
import { sql } from "drizzle-orm";
import type { DbHandle } from "@/lib/db/client";
import { migrationsApplied } from "@/lib/db/migrate";
import { sendJson } from "@/lib/http/json";

export function healthz(res: ServerResponse) {
  sendJson(res, 200, { status: "ok" });
}

export async function readyz(res: ServerResponse, handle: DbHandle) {
  try {
    await handle.db.execute(sql`select 1`);
    const migrated = await migrationsApplied(handle);
    sendJson(res, migrated ? 200 : 503, { status: migrated ? "ready" : "migrations pending", database: handle.driver });
  } catch {
    sendJson(res, 503, { status: "database unreachable", database: handle.driver });
  }
}
