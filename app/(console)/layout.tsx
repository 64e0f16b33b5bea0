// Every console page needs a signed-in person; the check happens once here.
import type { ReactNode } from "react";
import { requireActor } from "@/lib/auth/session";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await requireActor();
  return children;
}
