// Files Bora keeps under its data dir: the generated secret, the lock that says which process
// holds the embedded database, and the local admin token the CLI uses to reach that process.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type LockInfo = { pid: number; url: string; startedAt: string };

const lockName = "bora.lock";
const tokenName = "admin-token";
const secretName = "secret";

function ensureDir(dataDir: string) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/** Write a file only its owner can read, replacing any older one atomically. */
export function writePrivateFile(file: string, contents: string) {
  ensureDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, contents, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** BORA_SECRET when set, otherwise a random one generated once and kept in the data dir. */
export function loadOrCreateSecret(dataDir: string, fromEnv?: string): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, secretName);
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = crypto.randomBytes(32).toString("base64url");
  writePrivateFile(file, secret + "\n");
  return secret;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live holder of this data dir, if any. A lock left by a dead process is ignored. */
export function readLock(dataDir: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, lockName), "utf8")) as LockInfo;
    return processAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The data dir's holder once it has settled: none, or a server that has published its URL. A
 * holder without a URL is short-lived: a CLI command that opened the database itself, or a
 * server still starting. Waiting for it (up to `waitMs`) rather than failing at once lets a
 * server start while a CLI command finishes, and `npm start & bora keys create` reach the
 * server once it is up. `onWait` is told once, when there is something to wait for.
 */
export async function settledHolder(dataDir: string, waitMs: number, onWait?: (holder: LockInfo) => void): Promise<LockInfo | undefined> {
  const deadline = Date.now() + waitMs;
  let holder = readLock(dataDir);
  // Our own process would not let go while we wait on it.
  if (!holder || holder.url || holder.pid === process.pid) return holder;
  onWait?.(holder);
  while (holder && !holder.url && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    holder = readLock(dataDir);
  }
  return holder;
}

/**
 * Take the data dir for this process. PGlite has no lock of its own and two processes on one
 * directory corrupt it, so every opener (server, CLI, scripts) goes through here first.
 */
export function acquireLock(dataDir: string, url: string): () => void {
  ensureDir(dataDir);
  const file = path.join(dataDir, lockName);
  const info: LockInfo = { pid: process.pid, url, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: "wx", mode: 0o600 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          const current = JSON.parse(fs.readFileSync(file, "utf8")) as LockInfo;
          if (current.pid === process.pid) fs.unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = readLock(dataDir);
      if (holder) {
        throw new Error(
          `The data dir ${dataDir} is in use by process ${holder.pid}${holder.url ? ` (${holder.url})` : ""}. ` +
            "Stop it first, or use another BORA_DATA_DIR.",
        );
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock on ${dataDir}`);
}

/** Update the URL in our own lock once the port is known. */
export function updateLockUrl(dataDir: string, url: string) {
  const file = path.join(dataDir, lockName);
  const info: LockInfo = { pid: process.pid, url, startedAt: new Date().toISOString() };
  fs.writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
}

export function adminTokenPath(dataDir: string) {
  return path.join(dataDir, tokenName);
}

export function readLocalAdminToken(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(adminTokenPath(dataDir), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}
