// "Add to dataset": conversations accumulate as lines of one named dataset file; a conversation
// that cannot be trained on is refused and changes nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { files } from "@/db/schema";
import type { DbHandle } from "@/lib/db/client";
import { DirectoryFileStore } from "@/lib/files/store";
import { testDatabase } from "@/lib/testing/database";
import { adminActor, workspaceWith } from "@/lib/testing/fixtures";
import { appendToDataset } from "./append";

let handle: DbHandle;
let dir: string;
let store: DirectoryFileStore;
let owner: { workspaceId: string; userId: string };

beforeAll(async () => {
  handle = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-append-"));
  store = new DirectoryFileStore(dir);
  const admin = await adminActor(handle.db);
  const ws = await workspaceWith(handle.db, admin, "Datasets");
  owner = { workspaceId: ws.id, userId: admin.user.id };
});
afterAll(async () => {
  await handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const turn = (q: string, a: string) => [
  { role: "user", content: q },
  { role: "assistant", content: a },
];

async function content(id: string): Promise<string> {
  const [row] = await handle.db.select().from(files).where(eq(files.id, id));
  const chunks: Buffer[] = [];
  for await (const c of store.read(row!.storageKey)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

describe("appendToDataset", () => {
  it("adds each conversation as a line of one file, replacing the previous version", async () => {
    const first = await appendToDataset(handle.db, store, owner, { dataset: "support", messages: turn("Hi", "Hello!") });
    expect(first).toMatchObject({ filename: "support.jsonl", lines: 1 });
    const second = await appendToDataset(handle.db, store, owner, { dataset: "support", messages: [{ role: "system", content: "Be kind." }, ...turn("Bye", "See you")] });
    expect(second.lines).toBe(2);
    const rows = await handle.db.select().from(files).where(eq(files.workspaceId, owner.workspaceId));
    expect(rows.map((r) => r.id)).toEqual([second.fileId]);
    const lines = (await content(second.fileId)).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([{ messages: turn("Hi", "Hello!") }, { messages: [{ role: "system", content: "Be kind." }, ...turn("Bye", "See you")] }]);
    expect(fs.readdirSync(path.join(dir, owner.workspaceId))).toEqual([second.fileId]);
  });

  it("refuses a conversation without an answer to learn, writing nothing", async () => {
    const before = await handle.db.select().from(files).where(eq(files.workspaceId, owner.workspaceId));
    await expect(appendToDataset(handle.db, store, owner, { dataset: "support", messages: [...turn("Hi", "Hello!"), { role: "user", content: "And?" }] })).rejects.toThrow(/cannot be trained on/);
    await expect(appendToDataset(handle.db, store, owner, { dataset: "../etc", messages: turn("a", "b") })).rejects.toThrow(/Letters, digits/);
    expect(await handle.db.select().from(files).where(eq(files.workspaceId, owner.workspaceId))).toEqual(before);
  });
});
