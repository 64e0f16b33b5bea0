// First start: the first instance administrator and a default workspace. Runs on every start
// and does nothing once any user exists; an advisory lock keeps two servers that start at
// once on one Postgres from both creating an admin.
import { count, eq, sql } from "drizzle-orm";
import { users, type User } from "@/db/schema";
import { generatePassword } from "@/lib/auth/passwords";
import type { Executor } from "./context";
import { insertUser } from "./users";
import { insertWorkspace } from "./workspaces";

export type BootstrapResult = { created: false; admin: User } | { created: true; admin: User; password: string; generated: boolean };

const bootstrapLockId = 7_242_001;

export async function ensureFirstAdmin(db: Executor, opts: { email?: string; password?: string }): Promise<BootstrapResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${bootstrapLockId})`);
    const [existing] = await tx.select({ n: count() }).from(users);
    if (Number(existing?.n) > 0) {
      const [admin] = await tx.select().from(users).where(eq(users.isInstanceAdmin, true)).orderBy(users.createdAt).limit(1);
      return { created: false, admin: admin! };
    }
    const password = opts.password ?? generatePassword();
    const email = (opts.email ?? "admin@bora.local").toLowerCase();
    const admin = await insertUser(tx, { email, name: "Administrator", password, instanceAdmin: true });
    await insertWorkspace(tx, { user: admin, via: "system" }, { name: "Default", slug: "default" });
    return { created: true, admin, password, generated: !opts.password };
  });
}
