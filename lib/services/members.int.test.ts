import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/lib/db/client";
import { testDatabase } from "@/lib/testing/database";
import { adminActor, userActor, workspaceWith } from "@/lib/testing/fixtures";
import { listAudit } from "./audit-queries";
import { authorize } from "./authorize";
import type { Actor } from "./context";
import { addMember, changeRole, listMembers, removeMember } from "./members";
import { listWorkspaces, updateWorkspace } from "./workspaces";

let handle: DbHandle;
let db: Db;
let owner: Actor, admin: Actor, dev: Actor, viewer: Actor, outsider: Actor;
let wsA: { id: string; slug: string }, wsB: { id: string; slug: string };

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  owner = await userActor(db, "owner@a.test");
  admin = await userActor(db, "admin@a.test");
  dev = await userActor(db, "dev@a.test");
  viewer = await userActor(db, "viewer@a.test");
  outsider = await userActor(db, "owner@b.test");
  wsA = await workspaceWith(db, owner, "Team A", [
    [admin, "admin"],
    [dev, "developer"],
    [viewer, "viewer"],
  ]);
  wsB = await workspaceWith(db, outsider, "Team B");
});
afterAll(() => handle.close());

const roleOf = async (email: string) => (await listMembers(db, await authorize(db, owner, { id: wsA.id }, "members:read"))).find((m) => m.email === email)?.role;

describe("roles and permissions", () => {
  it("refuses a viewer's mutation with 403 and changes nothing", async () => {
    const before = await listMembers(db, await authorize(db, owner, { id: wsA.id }, "members:read"));
    await expect(authorize(db, viewer, { slug: wsA.slug }, "members:manage")).rejects.toMatchObject({ status: 403, code: "forbidden:members" });
    await expect(authorize(db, viewer, { slug: wsA.slug }, "workspace:update")).rejects.toMatchObject({ status: 403 });
    const after = await listMembers(db, await authorize(db, owner, { id: wsA.id }, "members:read"));
    expect(after).toEqual(before);
  });

  it("hides other workspaces: a non-member gets 404 by slug or by id", async () => {
    await expect(authorize(db, outsider, { slug: wsA.slug }, "workspace:read")).rejects.toMatchObject({ status: 404 });
    await expect(authorize(db, outsider, { id: wsA.id }, "members:read")).rejects.toMatchObject({ status: 404 });
    await expect(authorize(db, viewer, { id: wsB.id }, "workspace:read")).rejects.toMatchObject({ status: 404 });
    await expect(authorize(db, viewer, { id: "not-a-uuid" }, "workspace:read")).rejects.toMatchObject({ status: 404 });
    expect((await listWorkspaces(db, outsider)).map((w) => w.slug)).toEqual([wsB.slug]);
  });

  it("lets instance administrators into every workspace", async () => {
    const root = await adminActor(db);
    expect((await authorize(db, root, { id: wsB.id }, "members:manage")).role).toBe("owner");
  });
});

describe("member management", () => {
  it("keeps at least one owner", async () => {
    const ctx = await authorize(db, owner, { id: wsA.id }, "members:manage");
    await expect(removeMember(db, ctx, { userId: owner.user.id })).rejects.toMatchObject({ status: 409, message: /last owner/ });
    await expect(changeRole(db, ctx, { userId: owner.user.id, role: "admin" })).rejects.toMatchObject({ status: 409 });
    expect(await roleOf("owner@a.test")).toBe("owner");
  });

  it("lets only owners grant or touch the owner role", async () => {
    const ctx = await authorize(db, admin, { id: wsA.id }, "members:manage");
    await expect(changeRole(db, ctx, { userId: dev.user.id, role: "owner" })).rejects.toMatchObject({ status: 403, param: "role" });
    await expect(removeMember(db, ctx, { userId: owner.user.id })).rejects.toMatchObject({ status: 403 });
    await changeRole(db, ctx, { userId: dev.user.id, role: "viewer" });
    expect(await roleOf("dev@a.test")).toBe("viewer");
    await changeRole(db, ctx, { userId: dev.user.id, role: "developer" });
  });

  it("allows demoting an owner once another owner exists, and audits each change", async () => {
    const ctx = await authorize(db, owner, { id: wsA.id }, "members:manage");
    await changeRole(db, ctx, { userId: admin.user.id, role: "owner" });
    await changeRole(db, ctx, { userId: admin.user.id, role: "admin" });
    const audit = await listAudit(db, ctx, { limit: 5 });
    expect(audit.slice(0, 2).map((a) => a.action)).toEqual(["member.role", "member.role"]);
  });

  it("refuses to add someone twice or someone unknown, naming the field", async () => {
    const ctx = await authorize(db, owner, { id: wsA.id }, "members:manage");
    await expect(addMember(db, ctx, { email: "viewer@a.test", role: "viewer" })).rejects.toMatchObject({ status: 409, param: "email" });
    await expect(addMember(db, ctx, { email: "ghost@a.test", role: "viewer" })).rejects.toMatchObject({ status: 404, param: "email" });
  });

  it("records workspace setting changes with before and after", async () => {
    const ctx = await authorize(db, owner, { id: wsA.id }, "workspace:update");
    await updateWorkspace(db, ctx, { residencyPolicy: "eu-only" });
    const [entry] = await listAudit(db, ctx, { limit: 1 });
    expect(entry?.action).toBe("workspace.update");
  });
});
