import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitations } from "@/db/schema";
import type { Db, DbHandle } from "@/lib/db/client";
import { testDatabase } from "@/lib/testing/database";
import { userActor, workspaceWith } from "@/lib/testing/fixtures";
import { authorize } from "./authorize";
import type { Actor, WorkspaceContext } from "./context";
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation } from "./invitations";
import { listMembers } from "./members";

let handle: DbHandle;
let db: Db;
let owner: Actor;
let ctx: WorkspaceContext;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  owner = await userActor(db, "owner@inv.test");
  const ws = await workspaceWith(db, owner, "Invites");
  ctx = await authorize(db, owner, { id: ws.id }, "members:manage");
});
afterAll(() => handle.close());

describe("invitation links", () => {
  it("work once", async () => {
    const { token } = await createInvitation(db, ctx, { role: "developer" });
    const first = await userActor(db, "first@inv.test");
    const second = await userActor(db, "second@inv.test");
    expect(await acceptInvitation(db, first, token)).toEqual({ workspaceSlug: ctx.workspace.slug, role: "developer" });
    await expect(acceptInvitation(db, second, token)).rejects.toMatchObject({ status: 404, message: /expired or was already used/ });
    expect(await previewInvitation(db, token)).toBeUndefined();
    const emails = (await listMembers(db, ctx)).map((m) => m.email);
    expect(emails).toContain("first@inv.test");
    expect(emails).not.toContain("second@inv.test");
  });

  it("work once even when accepted concurrently", async () => {
    const { token } = await createInvitation(db, ctx, { role: "viewer" });
    const people = await Promise.all(["c1", "c2", "c3"].map((n) => userActor(db, `${n}@inv.test`)));
    const results = await Promise.allSettled(people.map((p) => acceptInvitation(db, p, token)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("expire", async () => {
    const { token, invitation } = await createInvitation(db, ctx, { role: "viewer", expiresInHours: 1 });
    await db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, invitation.id));
    const late = await userActor(db, "late@inv.test");
    await expect(acceptInvitation(db, late, token)).rejects.toMatchObject({ status: 404 });
    expect((await listInvitations(db, ctx)).map((i) => i.id)).not.toContain(invitation.id);
  });

  it("stop working when revoked", async () => {
    const { token, invitation } = await createInvitation(db, ctx, { role: "viewer" });
    await revokeInvitation(db, ctx, invitation.id);
    await expect(acceptInvitation(db, await userActor(db, "rev@inv.test"), token)).rejects.toMatchObject({ status: 404 });
  });

  it("bound to an email refuse other people without being used up", async () => {
    const { token } = await createInvitation(db, ctx, { role: "viewer", email: "Bound@Inv.test" });
    const wrong = await userActor(db, "wrong@inv.test");
    await expect(acceptInvitation(db, wrong, token)).rejects.toMatchObject({ status: 403 });
    const right = await userActor(db, "bound@inv.test");
    expect((await acceptInvitation(db, right, token)).role).toBe("viewer");
  });

  it("cannot be made for owners by an admin, and are at most a week long", async () => {
    const admin = await userActor(db, "admin@inv.test");
    await acceptInvitation(db, admin, (await createInvitation(db, ctx, { role: "admin" })).token);
    const adminCtx = await authorize(db, admin, { id: ctx.workspace.id }, "members:manage");
    await expect(createInvitation(db, adminCtx, { role: "owner" })).rejects.toMatchObject({ status: 403, param: "role" });
    await expect(createInvitation(db, ctx, { role: "viewer", expiresInHours: 500 })).rejects.toThrow(/At most a week/);
  });
});
