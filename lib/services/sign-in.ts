// Password sign-in with throttling: after too many failures for one email (or from one
// address) within the window, further attempts are refused without checking the password.
import { and, count, eq, gt, lt } from "drizzle-orm";
import { signInFailures, users, type User } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { randomToken } from "@/lib/auth/tokens";
import { BoraError } from "@/lib/errors";
import type { Executor } from "./context";
import { findUserByEmail } from "./users";

export const signInWindowMs = 15 * 60_000;
export const maxFailuresPerEmail = 5;
export const maxFailuresPerAddress = 30;

// Unknown emails verify against a throwaway hash, so they take as long as known ones.
let dummyHash: Promise<string> | undefined;
const throwawayHash = () => (dummyHash ??= hashPassword(randomToken()));

export async function signInWithPassword(db: Executor, emailRaw: string, password: string, ipAddress = ""): Promise<User> {
  const email = emailRaw.trim().toLowerCase();
  const since = new Date(Date.now() - signInWindowMs);
  const [byEmail] = await db.select({ n: count() }).from(signInFailures).where(and(eq(signInFailures.email, email), gt(signInFailures.failedAt, since)));
  const [byAddress] = ipAddress
    ? await db.select({ n: count() }).from(signInFailures).where(and(eq(signInFailures.ipAddress, ipAddress), gt(signInFailures.failedAt, since)))
    : [{ n: 0 }];
  if (Number(byEmail?.n) >= maxFailuresPerEmail || Number(byAddress?.n) >= maxFailuresPerAddress) {
    throw new BoraError("rate_limit:sign_in", "Too many failed sign-ins. Wait 15 minutes and try again.", { retryAfterSeconds: signInWindowMs / 1000 });
  }
  const user = await findUserByEmail(db, email);
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await throwawayHash(), password).then(() => false);
  if (!user || !ok || user.disabledAt) {
    await db.insert(signInFailures).values({ email, ipAddress });
    throw new BoraError("unauthorized:sign_in", "Wrong email or password.");
  }
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  // A success clears the email's failures; old rows of every email are pruned as we go.
  await db.delete(signInFailures).where(eq(signInFailures.email, email));
  await db.delete(signInFailures).where(lt(signInFailures.failedAt, since));
  return user;
}
