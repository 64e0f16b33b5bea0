// Instance users: created by instance administrators (console, management API or CLI).
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { users, type User } from "@/db/schema";
import { hashPassword, minPasswordLength } from "@/lib/auth/passwords";
import { BoraError } from "@/lib/errors";
import { recordAudit } from "./audit";
import { requireInstanceAdmin } from "./authorize";
import type { Actor, Executor } from "./context";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address."));

export const createUserInput = z.object({
  email: emailSchema,
  name: z.string().trim().max(100).default(""),
  password: z.string().min(minPasswordLength, `Use at least ${minPasswordLength} characters.`).max(200),
  instanceAdmin: z.boolean().default(false),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export type PublicUser = Pick<User, "id" | "email" | "name" | "isInstanceAdmin" | "createdAt" | "lastSignInAt" | "disabledAt">;

export function publicUser(u: User): PublicUser {
  const { id, email, name, isInstanceAdmin, createdAt, lastSignInAt, disabledAt } = u;
  return { id, email, name, isInstanceAdmin, createdAt, lastSignInAt, disabledAt };
}

/** Inserts a user; the caller has already decided it may. Used by bootstrap and createUser. */
export async function insertUser(tx: Executor, input: z.output<typeof createUserInput>): Promise<User> {
  const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (existing) throw new BoraError("conflict:user", "A user with this email already exists.", { param: "email" });
  const [user] = await tx
    .insert(users)
    .values({ email: input.email, name: input.name, passwordHash: await hashPassword(input.password), isInstanceAdmin: input.instanceAdmin })
    .returning();
  return user!;
}

export async function createUser(db: Executor, actor: Actor, raw: CreateUserInput): Promise<PublicUser> {
  requireInstanceAdmin(actor);
  const input = createUserInput.parse(raw);
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, input);
    await recordAudit(tx, actor, { action: "user.create", targetType: "user", targetId: user.id, after: { email: user.email, instanceAdmin: user.isInstanceAdmin } });
    return publicUser(user);
  });
}

export async function listUsers(db: Executor, actor: Actor): Promise<PublicUser[]> {
  requireInstanceAdmin(actor);
  const rows = await db.select().from(users).orderBy(asc(users.createdAt));
  return rows.map(publicUser);
}

export async function findUserByEmail(db: Executor, email: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return row;
}

export async function findUserById(db: Executor, id: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}
