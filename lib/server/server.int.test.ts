// The whole process without the console: start, health, the management API's doors, restart.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { issueAdminToken } from "@/lib/services/admin-tokens";
import { testDataDir, usingPostgres } from "@/lib/testing/database";
import { testPassword } from "@/lib/testing/fixtures";
import { readLocalAdminToken } from "./data-dir";
import { startBora, type RunningBora } from "./start";
import { findUserByEmail } from "@/lib/services/users";

let dir: Awaited<ReturnType<typeof testDataDir>>;
let bora: RunningBora;
let adminToken: string;
const created: { email: string; password: string }[] = [];

const config = () => getConfig({ ...dir.env, PORT: "0", HOST: "127.0.0.1", BORA_ADMIN_EMAIL: "root@srv.test", BORA_ADMIN_PASSWORD: testPassword });

async function api(method: string, path: string, token: string | undefined, body?: unknown) {
  const res = await fetch(`${bora.url}/api/manage/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { data?: unknown; message?: string; object?: string; param?: string; request_id?: string }, headers: res.headers };
}

beforeAll(async () => {
  dir = await testDataDir();
  bora = await startBora({ config: config(), onFirstAdmin: (email, password) => created.push({ email, password }) });
  adminToken = readLocalAdminToken(dir.dataDir)!;
});
afterAll(async () => {
  await bora?.close();
  await dir.cleanup();
});

describe("health", () => {
  it("answers /healthz and /readyz", async () => {
    expect(await (await fetch(`${bora.url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${bora.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: usingPostgres() ? "postgres" : "pglite" });
  });

  it("echoes a request id or makes one", async () => {
    const res = await fetch(`${bora.url}/healthz`, { headers: { "x-request-id": "abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    expect((await fetch(`${bora.url}/healthz`)).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown /v1 paths in the API's error shape", async () => {
    const res = await fetch(`${bora.url}/v1/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ object: "error", code: "not_found:route" });
  });
});

describe("first start", () => {
  it("created the admin from the environment and a local token with 0600 permissions", async () => {
    expect(created).toEqual([{ email: "root@srv.test", password: testPassword }]);
    const { statSync } = await import("node:fs");
    expect(statSync(`${dir.dataDir}/admin-token`).mode & 0o777).toBe(0o600);
    expect(statSync(`${dir.dataDir}/secret`).mode & 0o777).toBe(0o600);
  });
});

describe("management API", () => {
  it("refuses requests without a valid token", async () => {
    expect((await api("GET", "/users", undefined)).status).toBe(401);
    const bad = await api("GET", "/users", "bora_admin_000000000000_nottherealsecretatall");
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ object: "error", message: "Unknown or revoked admin token." });
  });

  it("gives clear errors for bad input, never a 500", async () => {
    const cases: [string, string, unknown, number, string | null][] = [
      ["POST", "/users", "{not json", 400, null],
      ["POST", "/users", { email: "not-an-email", password: "long enough" }, 422, "email"],
      ["POST", "/users", { email: "a@b.test", password: "short" }, 422, "password"],
      ["POST", "/workspaces", { name: "" }, 422, "name"],
      ["POST", "/workspaces", { name: "X", slug: "login" }, 422, "slug"],
      ["POST", "/workspaces/default/members", { email: "ghost@srv.test", role: "viewer" }, 404, "email"],
      ["POST", "/workspaces/default/members", { email: "root@srv.test", role: "emperor" }, 422, "role"],
      ["GET", "/workspaces/does-not-exist/members", undefined, 404, null],
      ["DELETE", "/users", undefined, 404, null],
    ];
    for (const [method, path, body, status, param] of cases) {
      const res = await api(method, path, adminToken, body);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.json.object).toBe("error");
      expect(res.json.message).toBeTruthy();
      expect(res.json.request_id).toBeTruthy();
      expect(res.json.param ?? null).toBe(param);
    }
  });

  it("refuses a viewer's mutation with 403 and leaves members unchanged", async () => {
    await api("POST", "/users", adminToken, { email: "viewer@srv.test", password: testPassword });
    await api("POST", "/users", adminToken, { email: "new@srv.test", password: testPassword });
    expect((await api("POST", "/workspaces/default/members", adminToken, { email: "viewer@srv.test", role: "viewer" })).status).toBe(201);
    const viewer = (await findUserByEmail(bora.db.db, "viewer@srv.test"))!;
    const { token } = await issueAdminToken(bora.db.db, { user: viewer, via: "system" }, "viewer script");
    const before = await api("GET", "/workspaces/default/members", adminToken);
    const refused = await api("POST", "/workspaces/default/members", token, { email: "new@srv.test", role: "admin" });
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/viewer/);
    expect((await api("POST", "/workspaces/default/invitations", token, { role: "admin" })).status).toBe(403);
    expect((await api("GET", "/workspaces/default/members", adminToken)).json).toEqual(before.json);
    // Reading is allowed; another workspace stays invisible (404, not 403).
    expect((await api("GET", "/workspaces/default/members", token)).status).toBe(200);
    await api("POST", "/workspaces", adminToken, { name: "Private", slug: "private" });
    expect((await api("GET", "/workspaces/private/members", token)).status).toBe(404);
    expect(((await api("GET", "/workspaces", token)).json.data as { slug: string }[]).map((w) => w.slug)).toEqual(["default"]);
    // Listing users is for instance administrators only.
    expect((await api("GET", "/users", token)).status).toBe(403);
    // Keys: a viewer may list them (prefixes, never secrets) but not create, rotate or revoke one.
    const created = await api("POST", "/workspaces/default/keys", adminToken, { name: "team key" });
    const prefix = (created.json.data as { key: { prefix: string } }).key.prefix;
    expect((await api("POST", "/workspaces/default/keys", token, { name: "viewer key" })).status).toBe(403);
    expect((await api("POST", `/workspaces/default/keys/${prefix}/rotate`, token, {})).status).toBe(403);
    expect((await api("POST", `/workspaces/default/keys/${prefix}/revoke`, token, {})).status).toBe(403);
    const listed = await api("GET", "/workspaces/default/keys", token);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.json)).not.toMatch(/secret|hashed/i);
    expect((listed.json.data as { name: string }[]).map((k) => k.name)).toEqual(["team key"]);
  });
});

describe("restart", () => {
  it("keeps data, does not re-create the admin, and refuses a second process on the same data dir", async () => {
    if (!usingPostgres()) {
      await expect(startBora({ config: config() })).rejects.toThrow(/in use by process/);
    }
    await bora.close();
    const again: string[] = [];
    bora = await startBora({ config: config(), onFirstAdmin: (email) => again.push(email) });
    expect(again).toEqual([]);
    const token = readLocalAdminToken(dir.dataDir)!;
    expect(token).not.toBe(adminToken); // each start rotates the local token…
    expect((await api("GET", "/users", adminToken)).status).toBe(401); // …and the old one stops working
    const users = (await api("GET", "/users", token)).json.data as { email: string }[];
    expect(users.map((u) => u.email).sort()).toEqual(["new@srv.test", "root@srv.test", "viewer@srv.test"]);
    adminToken = token;
  });

  it("says clearly when the database cannot be reached", async () => {
    const other = await testDataDir();
    try {
      const unreachable = getConfig({ ...other.env, DATABASE_URL: "postgres://postgres:secret@127.0.0.1:9/nowhere", PORT: "0" });
      const err = await startBora({ config: unreachable }).catch((e: Error) => e);
      expect(String(err)).toMatch(/Cannot open the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:9\/nowhere/);
      expect(String(err)).not.toContain("secret");
    } finally {
      await other.cleanup();
    }
  });

  it("refuses `bora serve --gateway` on PGlite, and a second mode flag, before touching any data", () => {
    const serve = (...flags: string[]) => spawnSync(process.execPath, ["bin/bora.js", "serve", ...flags], { env: { ...process.env, DATABASE_URL: "", BORA_DATA_DIR: path.join(dir.dataDir, "serve"), BORA_SECRET: "a-secret-that-is-long-enough-for-bora-0000", PORT: "0" }, encoding: "utf8" });
    const pglite = serve("--gateway");
    expect(pglite.status).toBe(1);
    expect(pglite.stderr).toMatch(/needs a shared database: set DATABASE_URL/);
    const two = serve("--worker", "--console");
    expect(two.status).toBe(1);
    expect(two.stderr).toMatch(/choose one of --gateway, --worker or --console/);
    expect(fs.existsSync(path.join(dir.dataDir, "serve", "pglite"))).toBe(false);
  });

  it("says clearly when the port is taken", async () => {
    const port = new URL(bora.url).port;
    const other = await testDataDir();
    try {
      await expect(startBora({ config: getConfig({ ...other.env, PORT: port, HOST: "127.0.0.1" }) })).rejects.toThrow(`Port ${port} is already in use`);
    } finally {
      await other.cleanup();
    }
  });
});
