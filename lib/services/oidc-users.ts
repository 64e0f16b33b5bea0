// Users who sign in through the identity provider: matched by email, created without a
// password on first sign-in. They join workspaces through invitations like anyone else.
import { users, type User } from "@/db/schema";
import type { Executor } from "./context";
import { findUserByEmail } from "./users";

export async function findOrCreateOidcUser(db: Executor, emailRaw: string, name: string): Promise<User> {
  const email = emailRaw.trim().toLowerCase();
  const existing = await findUserByEmail(db, email);
  if (existing) return existing;
  await db.insert(users).values({ email, name }).onConflictDoNothing();
  return (await findUserByEmail(db, email))!;
}
