// The CLI as a user runs it: a child process, on the database directly when no server holds
// it, through the running server's management API when one does.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getConfig } from "@/lib/config";
import { authorize } from "@/lib/services/authorize";
import { listMembers } from "@/lib/services/members";
import { listWorkspaces } from "@/lib/services/workspaces";
import { startBora, type RunningBora } from "@/lib/server/start";
import { readLock } from "@/lib/server/data-dir";
import { testDataDir, usingPostgres } from "@/lib/testing/database";
import { testPassword } from "@/lib/testing/fixtures";

const bin = path.resolve("bin/bora.js");
let dir: Awaited<ReturnType<typeof testDataDir>>;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliIn(dir.env, ...args);
}

function cliIn(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env, BORA_ADMIN_EMAIL: "root@cli.test", BORA_ADMIN_PASSWORD: testPassword, BORA_LOG_LEVEL: "warn" } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const json = <T>(r: { code?: number; stdout: string; stderr?: string }) => {
  if (!r.stdout.trim()) throw new Error(`the command printed nothing (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

beforeAll(async () => {
  dir = await testDataDir();
});
afterAll(() => dir.cleanup());

describe("CLI on the database (no server running)", () => {
  it("creates and lists users and workspaces as JSON", async () => {
    const created = await cli("users", "create", "--email", "Dana@CLI.test", "--name", "Dana", "--json");
    expect(created.code).toBe(0);
    const user = json<{ email: string; password: string }>(created);
    expect(user.email).toBe("dana@cli.test");
    expect(user.password).toMatch(/^\w{20}$/); // generated and shown once
    const users = json<{ email: string }[]>(await cli("users", "list", "--json"));
    expect(users.map((u) => u.email).sort()).toEqual(["dana@cli.test", "root@cli.test"]);
    const ws = json<{ slug: string }>(await cli("workspaces", "create", "--name", "Data Team", "--json"));
    expect(ws.slug).toBe("data-team");
    expect((await cli("members", "add", "--workspace", "data-team", "--email", "dana@cli.test", "--role", "developer")).code).toBe(0);
    const members = json<{ email: string; role: string }[]>(await cli("members", "list", "--workspace", "data-team", "--json"));
    expect(members.map((m) => [m.email, m.role])).toEqual([
      ["root@cli.test", "owner"],
      ["dana@cli.test", "developer"],
    ]);
  });

  it("creates a key with the usage:read scope, and refuses an unknown scope", async () => {
    const created = json<{ key: { scopes: string[] } }>(await cli("keys", "create", "--workspace", "data-team", "--name", "billing", "--scopes", "usage:read", "--json"));
    expect(created.key.scopes).toEqual(["usage:read"]);
    const bad = await cli("keys", "create", "--workspace", "data-team", "--name", "billing", "--scopes", "usage:write");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Scopes are: usage:read.");
  });

  it("exits non-zero with a clear message on bad input", async () => {
    const badRole = await cli("members", "add", "--workspace", "data-team", "--email", "dana@cli.test", "--role", "boss");
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain("--role: Role must be one of owner, admin, developer, viewer.");
    const missing = await cli("workspaces", "create");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--name is required");
    const unknown = await cli("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    // Past what the column holds: a clear refusal, not an internal error.
    const tooFast = await cli("keys", "create", "--workspace", "data-team", "--name", "firehose", "--tpm", "100000000000");
    expect(tooFast.code).toBe(1);
    expect(tooFast.stderr).toContain("Tokens per minute must be at most 2,147,483,647.");
    const badFlag = await cli("users", "list", "--colour");
    expect(badFlag.code).toBe(2);
    const asJson = await cli("members", "list", "--workspace", "nowhere", "--json");
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stderr)).toEqual({ error: { message: "Workspace not found.", code: "not_found:workspace" } });
  });
});

describe("CLI with a server running", () => {
  let bora: RunningBora;
  beforeAll(async () => {
    bora = await startBora({ config: getConfig({ ...dir.env, PORT: "0", HOST: "127.0.0.1" }) });
  });
  afterAll(() => bora.close());

  it("goes through the server and sees what the server sees", async () => {
    const me = json<{ email: string; via: string }>(await cli("whoami", "--json"));
    expect(me).toMatchObject({ email: "root@cli.test", via: "local-server" });
    // Written through the CLI, read through the services the console uses.
    expect((await cli("workspaces", "create", "--name", "Live Team", "--slug", "live")).code).toBe(0);
    const root = { user: (await import("@/lib/services/users").then((m) => m.findUserByEmail(bora.db.db, "root@cli.test")))!, via: "console" as const };
    expect((await listWorkspaces(bora.db.db, root)).map((w) => w.slug)).toContain("live");
    // Written before the server started (directly), read through the server.
    const ctx = await authorize(bora.db.db, root, { slug: "data-team" }, "members:read");
    const viaServices = (await listMembers(bora.db.db, ctx)).map((m) => m.email);
    const viaCli = json<{ email: string }[]>(await cli("members", "list", "--workspace", "data-team", "--json")).map((m) => m.email);
    expect(viaCli).toEqual(viaServices);
  });

  it("scans the models dir through the server: a new GGUF becomes a model, a removed one is reported", async () => {
    const models = path.join(dir.dataDir, "models");
    fs.copyFileSync(path.join(models, "bora-demo.gguf"), path.join(models, "cli-copy.gguf"));
    const added = await cli("models", "scan");
    expect(added.stdout).toContain("Added cli-copy (cli-copy.gguf).");
    expect(json<{ alias: string; contextLength: number }[]>(await cli("models", "list", "--json")).find((m) => m.alias === "cli-copy")).toMatchObject({ contextLength: 4096 });
    fs.rmSync(path.join(models, "cli-copy.gguf"));
    expect(json<{ unavailable: { alias: string }[] }>(await cli("models", "scan", "--json")).unavailable).toEqual([{ alias: "cli-copy", file: "cli-copy.gguf" }]);
  });

  it("sets a workspace's budget and limits, explains a key's headroom and reads the audit log", async () => {
    const budget = json<{ monthlySpendCapUsd: number; thresholds: number[]; webhookSecret: string }>(await cli("workspaces", "budget", "--workspace", "live", "--cap", "25", "--thresholds", "50,90", "--webhook", "https://hooks.example.com/bora", "--json"));
    expect(budget).toMatchObject({ monthlySpendCapUsd: 25, thresholds: [50, 90] });
    expect(budget.webhookSecret).toMatch(/^whsec_/);
    const bad = await cli("workspaces", "budget", "--workspace", "live", "--thresholds", "150", "--json");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("between 1 and 99%");
    const limits = json<{ model: string; rpm: number }[]>(await cli("workspaces", "limits", "--workspace", "live", "--set", "*:rpm=500", "--json"));
    expect(limits).toEqual([{ model: "*", rpm: 500, tpm: null }]);
    const tooFast = await cli("keys", "create", "--workspace", "live", "--name", "svc", "--rpm", "0");
    expect(tooFast.code).toBe(1);
    expect(tooFast.stderr).toBe("bora: --rpm: Requests per minute must be at least 1.\n");
    const created = json<{ key: { prefix: string } }>(await cli("keys", "create", "--workspace", "live", "--name", "svc", "--rpm", "7", "--monthly-spend", "3.5", "--json"));
    // bora-demo: the local demo model every fresh Bora registers.
    const explained = await cli("keys", "explain", "--workspace", "live", "--key", created.key.prefix, "--model", "bora-demo", "--json");
    const r = json<{ state: string; levels: { scope: string; what: string; max: number; remaining: number; blocks: boolean }[] }>(explained);
    expect(r.state).toBe("ok");
    expect(r.levels.map((l) => [l.scope, l.what, l.max])).toEqual([
      ["key", "Requests per minute", 7],
      ["workspace", "Requests per minute", 500],
      ["key", "Spend this month", 3.5],
      ["workspace", "Spend this month", 25],
    ]);
    expect(r.levels.some((l) => l.blocks)).toBe(false);
    const audit = json<{ action: string; actorEmail: string }[]>(await cli("audit", "list", "--workspace", "live", "--action", "workspace.", "--json"));
    expect(audit.map((a) => a.action)).toEqual(["workspace.limits.update", "workspace.budget.update", "workspace.create"]);
    expect(audit[0]!.actorEmail).toBe("root@cli.test");
  }, 180_000); // six CLI processes, each a cold Node start

  it("reaches a remote server with BORA_URL and a token, and refuses a bad token", async () => {
    const { token } = json<{ token: string }>(await cli("tokens", "create", "--name", "ci", "--json"));
    const otherDir = await testDataDir();
    try {
      const run = (t: string) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile(process.execPath, [bin, "whoami", "--json"], { env: { ...process.env, ...otherDir.env, BORA_URL: bora.url, BORA_ADMIN_TOKEN: t } }, (err, stdout, stderr) =>
            resolve({ code: err ? 1 : 0, stdout, stderr }),
          ),
        );
      expect(json<{ via: string }>(await run(token)).via).toBe("remote");
      const refused = await run("bora_admin_000000000000_wrongwrongwrongwrong");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("Unknown or revoked admin token");
    } finally {
      await otherDir.cleanup();
    }
  });
});

describe("CLI and server started together on one data dir", () => {
  let other: Awaited<ReturnType<typeof testDataDir>>;
  beforeAll(async () => {
    other = await testDataDir();
  });
  afterAll(() => other.cleanup());
  const serverConfig = () => getConfig({ ...other.env, PORT: "0", HOST: "127.0.0.1" });
  const lockTaken = () => vi.waitUntil(() => readLock(other.dataDir) !== undefined, { timeout: 6_000, interval: 20 });

  it("a server started while a CLI command holds the database waits for it, then starts", async () => {
    const command = cliIn(other.env, "workspaces", "create", "--name", "Early Team", "--slug", "early");
    // On PGlite the command takes the data dir's lock; on Postgres it takes none, and the two
    // simply run side by side.
    if (!usingPostgres()) await lockTaken();
    const bora = await startBora({ config: serverConfig() });
    try {
      expect((await command).code).toBe(0);
      const listed = json<{ slug: string }[]>(await cliIn(other.env, "workspaces", "list", "--json"));
      expect(listed.map((w) => w.slug)).toContain("early");
    } finally {
      await bora.close();
    }
  });

  it("a CLI command run while the server starts waits for it and goes through it", async () => {
    const starting = startBora({ config: serverConfig() });
    await lockTaken();
    const me = cliIn(other.env, "whoami", "--json");
    const bora = await starting;
    try {
      expect(json<{ via: string }>(await me).via).toBe("local-server");
    } finally {
      await bora.close();
    }
  });
});

describe("datasets validate (no server, no database)", () => {
  it("reports each bad line with its number, counts tokens, and exits 1 only when a line is bad", async () => {
    const fs = await import("node:fs");
    const good = JSON.stringify({ messages: [{ role: "user", content: "Hello there" }, { role: "assistant", content: "General Kenobi" }] });
    const file = path.join(dir.dataDir, "train.jsonl");
    fs.writeFileSync(file, [good, good, "{not json", JSON.stringify({ messages: [{ role: "user", content: "no answer" }] })].join("\n"));
    const bad = await cli("datasets", "validate", "--file", file, "--json");
    expect(bad.code).toBe(1);
    const report = json<{ lines: number; validLines: number; errors: { line: number }[]; duplicates: { line: number; sameAs: number }[]; totalTokens: number }>(bad);
    expect(report.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(report).toMatchObject({ lines: 4, validLines: 2, duplicates: [{ line: 2, sameAs: 1 }] });
    expect(report.totalTokens).toBeGreaterThan(0);
    fs.writeFileSync(file, good + "\n");
    const ok = await cli("datasets", "validate", "--file", file);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^1 lines, 1 valid/);
  });
});
