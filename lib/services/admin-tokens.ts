// Management API tokens. A token acts with the rights of the user who created it: an
// instance administrator's token can do what that admin can, a viewer's only what a viewer can.
// The running server issues a fresh "local" token for its first admin at every start into the
// data dir (0600) for the CLI on the same machine; scripts elsewhere use tokens created with
// `bora tokens create` and pass them as BORA_ADMIN_TOKEN.
import { and, eq, isNull } from "drizzle-orm";
import { adminTokens, users, type User } from "@/db/schema";
import { issuePrefixedToken, parsePrefixedToken, sameHash, sha256 } from "@/lib/auth/tokens";
import { BoraError } from "@/lib/errors";
import { recordAudit } from "./audit";
import type { Actor, Executor } from "./context";

const kind = "bora_admin";
export const localTokenName = "local-cli";

export async function issueAdminToken(db: Executor, actor: Actor, name: string): Promise<{ token: string; id: string }> {
  const issued = issuePrefixedToken(kind);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(adminTokens).values({ userId: actor.user.id, name, prefix: issued.prefix, hashedSecret: issued.hashedSecret }).returning();
    if (name !== localTokenName) await recordAudit(tx, actor, { action: "admin_token.create", targetType: "admin_token", targetId: row!.id, after: { name } });
    return { token: issued.token, id: row!.id };
  });
}

/** Replaces the previous local token, so only the newest file in the data dir works. */
export async function rotateLocalToken(db: Executor, actor: Actor): Promise<string> {
  await db
    .update(adminTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(adminTokens.name, localTokenName), isNull(adminTokens.revokedAt)));
  return (await issueAdminToken(db, actor, localTokenName)).token;
}

export async function userForAdminToken(db: Executor, token: string): Promise<User> {
  const prefix = parsePrefixedToken(kind, token);
  if (!prefix) throw new BoraError("unauthorized:token", "Missing or malformed admin token.");
  const [row] = await db
    .select({ token: adminTokens, user: users })
    .from(adminTokens)
    .innerJoin(users, eq(users.id, adminTokens.userId))
    .where(eq(adminTokens.prefix, prefix))
    .limit(1);
  if (!row || row.token.revokedAt || row.user.disabledAt || !sameHash(row.token.hashedSecret, sha256(token))) {
    throw new BoraError("unauthorized:token", "Unknown or revoked admin token.");
  }
  return row.user;
}
