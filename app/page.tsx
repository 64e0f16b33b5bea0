// /: send people to their first workspace, or to sign in.
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listWorkspaces } from "@/lib/services/workspaces";

export default async function Home() {
  const actor = await requireActor();
  const [first] = await listWorkspaces(await getDb(), actor);
  redirect(first ? `/${first.slug}/playground` : "/workspaces/new");
}
