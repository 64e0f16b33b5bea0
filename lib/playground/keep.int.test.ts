// Presets (shared by the workspace, changed by developers and up) and conversations (each
// member's own), through the real services on a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/lib/db/client";
import { testDatabase } from "@/lib/testing/database";
import { userActor, workspaceWith } from "@/lib/testing/fixtures";
import { listAudit } from "@/lib/services/audit-queries";
import { authorize } from "@/lib/services/authorize";
import type { Actor, WorkspaceContext } from "@/lib/services/context";
import { deleteConversation, getConversation, listConversations, renameConversation, saveConversation } from "./conversations";
import { deletePreset, listPresets, savePreset } from "./presets";
import { maxKeptImageChars } from "./settings";

let handle: DbHandle;
let db: Db;
let owner: Actor, dev: Actor, viewer: Actor, outsider: Actor;
let wsA: { id: string }, wsB: { id: string };
const as = (actor: Actor, ws: { id: string }, permission: "models:read" | "playground:use" = "models:read"): Promise<WorkspaceContext> => authorize(db, actor, { id: ws.id }, permission);
const settings = (over: Record<string, unknown> = {}) => ({ model: "sim-small", system: "Be brief.", temperature: 0.2, topP: 1, maxTokens: "", seed: "", format: "text" as const, schema: "", tools: "", toolChoice: "auto" as const, ...over });

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  owner = await userActor(db, "owner@keep.test");
  dev = await userActor(db, "dev@keep.test");
  viewer = await userActor(db, "viewer@keep.test");
  outsider = await userActor(db, "outsider@keep.test");
  wsA = await workspaceWith(db, owner, "Keep A", [
    [dev, "developer"],
    [viewer, "viewer"],
  ]);
  wsB = await workspaceWith(db, outsider, "Keep B", [[dev, "developer"]]);
});
afterAll(() => handle.close());

describe("presets", () => {
  it("are saved, listed to every member, overwritten only when asked, and deleted, each change audited", async () => {
    const ctx = await as(dev, wsA, "playground:use");
    const saved = await savePreset(db, ctx, { name: "Terse", settings: settings() });
    expect(saved.settings).toMatchObject({ model: "sim-small", system: "Be brief.", temperature: 0.2 });
    // A viewer lists and applies them.
    expect((await listPresets(db, await as(viewer, wsA))).map((p) => p.name)).toEqual(["Terse"]);

    await expect(savePreset(db, ctx, { name: "Terse", settings: settings({ temperature: 1 }) })).rejects.toMatchObject({ status: 409, param: "name" });
    const replaced = await savePreset(db, ctx, { name: "Terse", settings: settings({ temperature: 1 }), overwrite: true });
    expect(replaced.id).toBe(saved.id);
    expect((await listPresets(db, ctx))[0]!.settings.temperature).toBe(1);
    // Another workspace sees none of them.
    expect(await listPresets(db, await as(dev, wsB))).toEqual([]);

    await deletePreset(db, ctx, { id: saved.id });
    expect(await listPresets(db, ctx)).toEqual([]);
    const audit = await listAudit(db, await as(owner, wsA, "playground:use"), { limit: 3 });
    expect(audit.map((a) => a.action)).toEqual(["playground_preset.delete", "playground_preset.update", "playground_preset.create"]);
  });

  it("refuses a viewer's save or delete with 403, and changes nothing", async () => {
    await expect(as(viewer, wsA, "playground:use")).rejects.toMatchObject({ status: 403 });
    const kept = await savePreset(db, await as(owner, wsA, "playground:use"), { name: "Kept", settings: settings() });
    const viewerCtx = await as(viewer, wsA);
    await expect(savePreset(db, viewerCtx, { name: "Mine", settings: settings() })).rejects.toMatchObject({ status: 403, code: "forbidden:playground" });
    await expect(deletePreset(db, viewerCtx, { id: kept.id })).rejects.toMatchObject({ status: 403 });
    expect((await listPresets(db, viewerCtx)).map((p) => p.name)).toEqual(["Kept"]);
  });

  it("says what is wrong with bad input, and deleting another workspace's preset is not found", async () => {
    const ctx = await as(dev, wsA, "playground:use");
    await expect(savePreset(db, ctx, { name: "  ", settings: settings() })).rejects.toThrow("Give the preset a name.");
    await expect(savePreset(db, ctx, { name: "Hot", settings: settings({ temperature: 7 }) })).rejects.toThrow("Temperature is between 0 and 1.5.");
    await expect(savePreset(db, ctx, { name: "No model", settings: settings({ model: "" }) })).rejects.toThrow("Choose a model.");
    const theirs = await savePreset(db, await as(dev, wsB, "playground:use"), { name: "B's", settings: settings() });
    await expect(deletePreset(db, ctx, { id: theirs.id })).rejects.toMatchObject({ status: 404 });
    await expect(deletePreset(db, ctx, { id: "not-a-uuid" })).rejects.toMatchObject({ status: 404 });
    expect(await listPresets(db, await as(dev, wsB))).toHaveLength(1);
  });
});

describe("conversations", () => {
  const chat = (q: string) => [
    { role: "user" as const, content: q },
    { role: "assistant" as const, content: `You said: ${q}` },
  ];

  it("are saved, titled from the first question, listed most recent first, renamed, and reopened with their settings", async () => {
    const ctx = await as(dev, wsA, "playground:use");
    const first = await saveConversation(db, ctx, { settings: settings(), messages: chat("What is   the\nwind in Provence called?") });
    expect(first.title).toBe("What is the wind in Provence called?");
    const second = await saveConversation(db, ctx, { settings: settings({ model: "sim-large" }), messages: chat("Second") });
    expect((await listConversations(db, ctx)).map((c) => c.id)).toEqual([second.id, first.id]);

    // An answer more in the first one: saved whole, and it comes back on top.
    await saveConversation(db, ctx, { id: first.id, settings: settings({ temperature: 0 }), messages: [...chat("What is the wind in Provence called?"), ...chat("And in Rome?")] });
    expect((await listConversations(db, ctx)).map((c) => c.id)).toEqual([first.id, second.id]);
    await renameConversation(db, ctx, { id: first.id, title: "Winds" });
    const opened = await getConversation(db, ctx, { id: first.id });
    expect(opened).toMatchObject({ title: "Winds", model: "sim-small", settings: { temperature: 0, system: "Be brief." } });
    expect(opened.messages.map((m) => m.content)).toEqual(["What is the wind in Provence called?", "You said: What is the wind in Provence called?", "And in Rome?", "You said: And in Rome?"]);

    await deleteConversation(db, ctx, { id: second.id });
    await expect(getConversation(db, ctx, { id: second.id })).rejects.toMatchObject({ status: 404 });
  });

  it("are private: another member, an owner, or the same member in another workspace gets not found", async () => {
    const mine = await saveConversation(db, await as(dev, wsA, "playground:use"), { settings: settings(), messages: chat("Private") });
    const ownerCtx = await as(owner, wsA, "playground:use");
    expect((await listConversations(db, ownerCtx)).map((c) => c.id)).not.toContain(mine.id);
    await expect(getConversation(db, ownerCtx, { id: mine.id })).rejects.toMatchObject({ status: 404, code: "not_found:conversation" });
    await expect(saveConversation(db, ownerCtx, { id: mine.id, settings: settings(), messages: chat("Overwritten") })).rejects.toMatchObject({ status: 404 });
    await expect(renameConversation(db, ownerCtx, { id: mine.id, title: "Taken" })).rejects.toMatchObject({ status: 404 });
    await expect(deleteConversation(db, ownerCtx, { id: mine.id })).rejects.toMatchObject({ status: 404 });
    const elsewhere = await as(dev, wsB, "playground:use");
    await expect(getConversation(db, elsewhere, { id: mine.id })).rejects.toMatchObject({ status: 404 });
    expect(await listConversations(db, elsewhere)).toEqual([]);
    // Untouched by all of that.
    expect(await getConversation(db, await as(dev, wsA), { id: mine.id })).toMatchObject({ title: "Private", messages: chat("Private") });
  });

  it("keeps small images, drops data URLs over the cap (counted), and refuses bad input with a clear message", async () => {
    const ctx = await as(dev, wsA, "playground:use");
    const small = "data:image/png;base64,iVBORw0KGgo=";
    const huge = `data:image/png;base64,${"A".repeat(maxKeptImageChars)}`;
    const saved = await saveConversation(db, ctx, { settings: settings(), messages: [{ role: "user", content: "Look", images: [small, huge, "https://example.com/cat.png"] }, { role: "assistant", content: "A cat." }] });
    const opened = await getConversation(db, ctx, { id: saved.id });
    expect(opened.messages[0]).toMatchObject({ images: [small, "https://example.com/cat.png"], omittedImages: 1 });

    await expect(saveConversation(db, ctx, { settings: settings(), messages: [] })).rejects.toThrow("There is nothing to keep yet.");
    await expect(saveConversation(db, ctx, { settings: settings(), messages: [{ role: "system" as never, content: "x" }] })).rejects.toThrow("A message is from the user, the assistant or a tool.");
    await expect(renameConversation(db, ctx, { id: saved.id, title: " " })).rejects.toThrow("Give the conversation a title.");
    await expect(saveConversation(db, ctx, { settings: settings(), messages: [{ role: "user", content: "x".repeat(400_000) }, { role: "assistant", content: "y".repeat(400_000) }, { role: "user", content: "z".repeat(200_000) }] })).rejects.toMatchObject({ status: 413, code: "payload_too_large:conversation" });
    await expect(getConversation(db, ctx, { id: "nope" })).rejects.toMatchObject({ status: 404 });
  });
});
