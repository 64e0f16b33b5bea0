// The signed-in console user behind a request to Bora's own listener (not Next): the same
// next-auth session cookie, decoded with the instance secret.
import type { IncomingMessage } from "node:http";
import { getToken } from "next-auth/jwt";
import type { User } from "@/db/schema";
import { getSecret } from "@/lib/auth/secret";
import type { Db } from "@/lib/db/client";
import { BoraError } from "@/lib/errors";
import { findUserById } from "@/lib/services/users";

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export async function sessionUser(req: IncomingMessage, db: Db): Promise<User> {
  const cookies = parseCookies(req.headers.cookie);
  const secure = Object.keys(cookies).some((name) => name.startsWith("__Secure-next-auth.session-token"));
  // Only the cookie counts: an Authorization header here is never a session.
  const token = await getToken({ req: { cookies, headers: {} } as never, secret: getSecret(), secureCookie: secure });
  const uid = token?.uid as string | undefined;
  const user = uid ? await findUserById(db, uid) : undefined;
  if (!user || user.disabledAt) throw new BoraError("unauthorized:session", "Your session has ended. Sign in again.");
  return user;
}

/** Browsers send Origin on POST: refuse requests another site's page made with our cookie. */
export function assertSameOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (!origin) return; // not a browser (or a same-origin GET): the cookie alone decides
  const host = req.headers["x-forwarded-host"] ?? req.headers.host;
  if (new URL(origin).host !== host) throw new BoraError("forbidden:origin", "Cross-site requests are not allowed.");
}
