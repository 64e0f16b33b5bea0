// The embedded database on its own thread, as the server and the CLI open it: what drizzle
// sends must come back as it would from PGlite in-process (types, transactions, errors), and
// the event loop must stay free while a statement runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users, workspaces } from "@/db/schema";
import { openDatabase, type DbHandle } from "./client";
import { ensurePgliteTemplate, unpackPgliteTemplate } from "@/lib/testing/database";

let dir: string;
let handle: DbHandle;

beforeAll(async () => {
  await ensurePgliteTemplate();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-thread-"));
  await unpackPgliteTemplate(path.join(dir, "pglite"));
  handle = await openDatabase({ pgliteDir: path.join(dir, "pglite") });
});

afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("PGlite on its own thread", () => {
  it("round-trips drizzle's types: text, numbers, booleans, timestamps, JSON, arrays and bytea", async () => {
    const result = (await handle.db.execute(
      sql`select 'a''b'::text as t, 42::int as i, 9007199254740993::bigint as big, true as b, now() as ts, '{"x":[1,2]}'::jsonb as j, array[1,2,3]::int[] as arr, '\\x0102'::bytea as bytes, ${new Date("2026-01-02T03:04:05Z")}::timestamptz as param_ts`,
    )) as unknown as { rows: Record<string, unknown>[] };
    const row = result.rows[0];
    expect(row).toMatchObject({ t: "a'b", i: 42, b: true, j: { x: [1, 2] }, arr: [1, 2, 3] });
    expect(String(row!.big)).toBe("9007199254740993");
    // drizzle keeps timestamps as text and parses them itself: the thread must not turn them into Dates
    expect(typeof row!.ts).toBe("string");
    expect(new Date(row!.param_ts as string).toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect([...(row!.bytes as Uint8Array)]).toEqual([1, 2]);
  });

  it("commits a transaction, and rolls one back whole when it throws (savepoints too)", async () => {
    await handle.db.transaction(async (tx) => {
      await tx.insert(users).values({ email: "committed@example.com", name: "C", passwordHash: "x" });
    });
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.insert(users).values({ email: "rolled-back@example.com", name: "R", passwordHash: "x" });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await handle.db.transaction(async (tx) => {
      await tx.insert(users).values({ email: "outer@example.com", name: "O", passwordHash: "x" });
      await tx
        .transaction(async (inner) => {
          await inner.insert(users).values({ email: "inner@example.com", name: "I", passwordHash: "x" });
          throw new Error("inner only");
        })
        .catch(() => {});
    });
    const emails = (await handle.db.select({ email: users.email }).from(users)).map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining(["committed@example.com", "outer@example.com"]));
    expect(emails).not.toContain("rolled-back@example.com");
    expect(emails).not.toContain("inner@example.com");
  });

  it("holds other statements until a transaction ends, as PGlite does in-process", async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = handle.db.transaction(async (t) => {
      await t.insert(workspaces).values({ name: "Held", slug: "held-ws" });
      await gate;
      order.push("transaction ends");
    });
    await new Promise((r) => setTimeout(r, 50));
    const outside = handle.db.select().from(workspaces).where(eq(workspaces.slug, "held-ws")).then((rows) => {
      order.push("outside reads");
      return rows;
    });
    await new Promise((r) => setTimeout(r, 50));
    release();
    await tx;
    expect(await outside).toHaveLength(1); // it ran after the commit, so it sees the row
    expect(order).toEqual(["transaction ends", "outside reads"]);
  });

  it("passes Postgres's error fields through (code, constraint), not only the message", async () => {
    await handle.db.insert(users).values({ email: "dup@example.com", name: "D", passwordHash: "x" });
    const err = await handle.db
      .insert(users)
      .values({ email: "dup@example.com", name: "D", passwordHash: "x" })
      .then(() => null)
      .catch((e: Error & { cause?: { code?: string } }) => e);
    const pgError = (err?.cause ?? err) as { code?: string; message: string };
    expect(pgError.code).toBe("23505");
    expect(pgError.message).toMatch(/duplicate key/);
  });

  it("keeps the event loop running while a long statement runs", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await handle.db.execute(sql`select count(*) from generate_series(1, 3000000)`);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });
});
