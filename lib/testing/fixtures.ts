// People and workspaces for tests, made through the real services.
import type { Role } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/services/context";
import { addMember } from "@/lib/services/members";
import { ensureFirstAdmin } from "@/lib/services/bootstrap";
import { authorize } from "@/lib/services/authorize";
import { createUser, findUserByEmail } from "@/lib/services/users";
import { createWorkspace } from "@/lib/services/workspaces";

export const testPassword = "correct horse battery";

export async function adminActor(db: Db): Promise<Actor> {
  const boot = await ensureFirstAdmin(db, { email: "admin@test.local", password: testPassword });
  return { user: boot.admin, via: "system" };
}

export async function userActor(db: Db, email: string): Promise<Actor> {
  const admin = await adminActor(db);
  await createUser(db, admin, { email, password: testPassword });
  return { user: (await findUserByEmail(db, email))!, via: "console" };
}

/** A workspace owned by `owner`, with the other people added in the given roles. */
export async function workspaceWith(db: Db, owner: Actor, name: string, members: [Actor, Role][] = []) {
  const workspace = await createWorkspace(db, owner, { name });
  const ownerCtx = await authorize(db, owner, { id: workspace.id }, "members:manage");
  for (const [actor, role] of members) await addMember(db, ownerCtx, { email: actor.user.email, role });
  return workspace;
}
