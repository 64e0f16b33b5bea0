import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/lib/db/client";
import { testDatabase } from "@/lib/testing/database";
import { testPassword, userActor } from "@/lib/testing/fixtures";
import { ensureFirstAdmin } from "./bootstrap";
import { maxFailuresPerEmail, signInWithPassword } from "./sign-in";

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  await userActor(db, "alice@sign.test");
  await userActor(db, "bob@sign.test");
});
afterAll(() => handle.close());

describe("password sign-in", () => {
  it("accepts the right password whatever the email's case", async () => {
    const user = await signInWithPassword(db, " Alice@Sign.test ", testPassword);
    expect(user.email).toBe("alice@sign.test");
  });

  it("gives one clear message for a wrong password and for an unknown email", async () => {
    await expect(signInWithPassword(db, "alice@sign.test", "wrong password")).rejects.toMatchObject({ status: 401, message: "Wrong email or password." });
    await expect(signInWithPassword(db, "nobody@sign.test", testPassword)).rejects.toMatchObject({ status: 401, message: "Wrong email or password." });
  });

  it("throttles an email after repeated failures, even for the right password", async () => {
    for (let i = 0; i < maxFailuresPerEmail; i++) await expect(signInWithPassword(db, "bob@sign.test", `guess ${i}`, "10.0.0.1")).rejects.toMatchObject({ status: 401 });
    await expect(signInWithPassword(db, "bob@sign.test", testPassword, "10.0.0.1")).rejects.toMatchObject({ status: 429, retryAfterSeconds: 900 });
    // Another account is not locked by Bob's failures.
    expect((await signInWithPassword(db, "alice@sign.test", testPassword, "10.0.0.2")).email).toBe("alice@sign.test");
  });
});

describe("first start", () => {
  it("creates the first admin once, however often it runs", async () => {
    const again = await ensureFirstAdmin(db, { email: "other@sign.test", password: "something long" });
    expect(again.created).toBe(false);
    expect(again.admin.email).toBe("admin@test.local");
  });
});
