// The signed-in person, for pages and server actions. Reads the user afresh on each request.
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { isBoraError } from "@/lib/errors";
import { authorize } from "@/lib/services/authorize";
import type { Actor, WorkspaceContext } from "@/lib/services/context";
import { findUserById } from "@/lib/services/users";
import { authOptions } from "./options";
import type { Permission } from "./permissions";

export async function sessionActor(): Promise<Actor | null> {
  const session = (await getServerSession(authOptions())) as { uid?: string } | null;
  if (!session?.uid) return null;
  const user = await findUserById(await getDb(), session.uid);
  if (!user || user.disabledAt) return null;
  return { user, via: "console" };
}

export async function requireActor(): Promise<Actor> {
  const actor = await sessionActor();
  if (!actor) redirect("/login");
  return actor;
}

/** For pages under /[workspace]: a non-member sees a 404, as if the workspace did not exist. */
export async function requireWorkspace(slug: string, permission: Permission = "workspace:read"): Promise<WorkspaceContext> {
  const actor = await requireActor();
  try {
    return await authorize(await getDb(), actor, { slug }, permission);
  } catch (err) {
    if (isBoraError(err) && err.status === 404) notFound();
    throw err;
  }
}
