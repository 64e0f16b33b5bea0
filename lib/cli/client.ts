// How the CLI reaches Bora. A running server is always preferred: remotely through BORA_URL
// and BORA_ADMIN_TOKEN, or locally through the lock and token in the data dir. Only when no
// server holds the data dir does the CLI open the database itself, taking the same lock, since
// two processes on one PGlite directory corrupt it. Talking to a server needs only the routes:
// the database and the services are loaded in the direct case alone (they take seconds).
import { getConfig } from "@/lib/config";
import { BoraError } from "@/lib/errors";
import { manageBase, operationPath, routes, type OperationName } from "@/lib/manage/routes";
import { acquireLock, readLocalAdminToken, settledHolder } from "@/lib/server/data-dir";

// How long the CLI waits for a process that holds the data dir without serving it yet.
const holderWaitMs = 30_000;

export type ManageClient = {
  mode: "remote" | "local-server" | "direct";
  call(name: OperationName, params?: Record<string, string>, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
};

export async function connect(env: Record<string, string | undefined> = process.env, notice: (line: string) => void = () => {}): Promise<ManageClient> {
  if (env.BORA_URL) {
    if (!env.BORA_ADMIN_TOKEN) throw new BoraError("unauthorized:token", "BORA_URL is set but BORA_ADMIN_TOKEN is not. Create one with `bora tokens create` on the server.");
    return httpClient("remote", env.BORA_URL, env.BORA_ADMIN_TOKEN);
  }
  const config = getConfig(env);
  const holder = await settledHolder(config.dataDir, holderWaitMs, (h) => notice(`Waiting for process ${h.pid} (a server starting, or another CLI command) to finish with ${config.dataDir}…`));
  if (holder?.url) {
    const token = readLocalAdminToken(config.dataDir);
    if (!token) throw new BoraError("unauthorized:token", `A server (pid ${holder.pid}) holds ${config.dataDir} but its admin token is unreadable.`);
    return httpClient("local-server", holder.url, token);
  }
  if (holder) throw new BoraError("unavailable:server", `Process ${holder.pid} still holds ${config.dataDir} without serving it after ${holderWaitMs / 1000} s; try again once it has started or finished.`);
  return directClient(config.DATABASE_URL, config.dataDir, notice);
}

function httpClient(mode: ManageClient["mode"], baseUrl: string, token: string): ManageClient {
  return {
    mode,
    async call(name, params = {}, body) {
      const op = routes[name];
      let res: Response;
      try {
        const query = op.method === "GET" && body ? "?" + new URLSearchParams(Object.entries(body as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])) : "";
        res = await fetch(baseUrl.replace(/\/$/, "") + manageBase + operationPath(name, params) + query, {
          method: op.method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: op.method === "GET" ? undefined : JSON.stringify(body ?? {}),
        });
      } catch (err) {
        throw new BoraError("unavailable:server", `Cannot reach Bora at ${baseUrl}: ${(err as Error).message}`);
      }
      const payload = (await res.json().catch(() => ({}))) as { data?: unknown; message?: string; code?: string; param?: string };
      if (!res.ok) {
        const code = (payload.code?.includes(":") ? payload.code : `bad_request:${res.status}`) as `bad_request:${string}`;
        const err = new BoraError(code, payload.message ?? `HTTP ${res.status}`, { param: payload.param ?? undefined });
        Object.assign(err, { status: res.status });
        throw err;
      }
      return payload.data;
    },
    close: async () => {},
  };
}

async function directClient(databaseUrl: string | undefined, dataDir: string, notice: (line: string) => void): Promise<ManageClient> {
  const release = databaseUrl ? () => {} : acquireLock(dataDir, "");
  const [{ openDatabase, pgliteDirFor }, { migrate }, { ensureFirstAdmin }, { operations }] = await Promise.all([import("@/lib/db/client"), import("@/lib/db/migrate"), import("@/lib/services/bootstrap"), import("@/lib/manage/operations")]);
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  try {
    handle = await openDatabase({ databaseUrl, pgliteDir: pgliteDirFor(dataDir) });
    await migrate(handle);
  } catch (err) {
    release();
    throw err;
  }
  const boot = await ensureFirstAdmin(handle.db, { email: process.env.BORA_ADMIN_EMAIL, password: process.env.BORA_ADMIN_PASSWORD });
  if (boot.created && boot.generated) notice(`Created the first administrator ${boot.admin.email} with password ${boot.password} (shown once).`);
  // Whoever can open the data dir or the database owns the instance: act as its first admin.
  const actor = { user: boot.admin, via: "cli" as const };
  return {
    mode: "direct",
    call: (name, params = {}, body) => operations[name].run(handle.db, actor, body ?? {}, params),
    async close() {
      await handle.close();
      release();
    },
  };
}
