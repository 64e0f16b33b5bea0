// Workspaces: created by any signed-in user (who becomes its owner), listed per member.
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { memberships, workspaces, type Role, type Workspace } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import { recordAudit } from "./audit";
import type { Actor, Executor, WorkspaceContext } from "./context";

const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
// Slugs are the first segment of console URLs: they must not shadow the app's own routes.
const reservedSlugs = new Set(["login", "logout", "workspaces", "invite", "api", "account", "admin", "v1", "healthz", "readyz", "settings"]);

export const createWorkspaceInput = z.object({
  name: z.string().trim().min(1, "Give the workspace a name.").max(80),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(slugPattern, "Use 1–40 lower-case letters, digits and dashes.")
    .refine((s) => !reservedSlugs.has(s), "This slug is reserved; pick another.")
    .optional(),
});
export type CreateWorkspaceInput = z.input<typeof createWorkspaceInput>;

export const updateWorkspaceInput = z.object({
  name: z.string().trim().min(1, "Give the workspace a name.").max(80).optional(),
  residencyPolicy: z.enum(["any", "eu-only"]).optional(),
  // Days to keep request and response bodies; null turns request logging off.
  requestLogDays: z.coerce.number().int().min(1, "At least one day.").max(365, "At most a year.").nullable().optional(),
  batchMode: z.enum(["bora", "upstream"]).optional(),
  // Days raw usage events are kept (the request log, raw exports); rollups are kept for good.
  usageRawRetentionDays: z.coerce.number().int().min(1, "At least one day.").max(3650, "At most ten years.").optional(),
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "Unknown time zone.")
    .optional(),
});

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "") // accents off: "Équipe" → "Equipe"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  if (!slug) return "workspace";
  return reservedSlugs.has(slug) ? `${slug}-ws` : slug;
}

export type WorkspaceWithRole = Workspace & { role: Role };

export async function insertWorkspace(tx: Executor, actor: Actor, input: z.output<typeof createWorkspaceInput>): Promise<Workspace> {
  const slug = input.slug ?? (await freeSlug(tx, slugify(input.name)));
  const [taken] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug)).limit(1);
  if (taken) throw new BoraError("conflict:workspace", `The slug "${slug}" is taken.`, { param: "slug" });
  const [workspace] = await tx.insert(workspaces).values({ name: input.name, slug }).returning();
  await tx.insert(memberships).values({ workspaceId: workspace!.id, userId: actor.user.id, role: "owner" });
  await recordAudit(tx, actor, { workspaceId: workspace!.id, action: "workspace.create", targetType: "workspace", targetId: workspace!.id, after: { name: input.name, slug } });
  return workspace!;
}

export async function createWorkspace(db: Executor, actor: Actor, raw: CreateWorkspaceInput): Promise<Workspace> {
  const input = createWorkspaceInput.parse(raw);
  return db.transaction((tx) => insertWorkspace(tx, actor, input));
}

async function freeSlug(tx: Executor, base: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? base : `${base.slice(0, 36)}-${n}`;
    const [taken] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, candidate)).limit(1);
    if (!taken) return candidate;
  }
  throw new BoraError("conflict:workspace", "Could not find a free slug; give one.", { param: "slug" });
}

/** The workspaces a user may open: their memberships, or every workspace for instance admins. */
export async function listWorkspaces(db: Executor, actor: Actor): Promise<WorkspaceWithRole[]> {
  const mine = await db
    .select({ workspace: workspaces, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, actor.user.id))
    .orderBy(asc(workspaces.name));
  const result: WorkspaceWithRole[] = mine.map((r) => ({ ...r.workspace, role: r.role }));
  if (actor.user.isInstanceAdmin) {
    const seen = new Set(result.map((w) => w.id));
    const all = await db.select().from(workspaces).orderBy(asc(workspaces.name));
    for (const w of all) if (!seen.has(w.id)) result.push({ ...w, role: "owner" });
  }
  return result;
}

export async function updateWorkspace(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof updateWorkspaceInput>): Promise<Workspace> {
  const input = updateWorkspaceInput.parse(raw);
  return db.transaction(async (tx) => {
    const [updated] = await tx.update(workspaces).set(input).where(eq(workspaces.id, ctx.workspace.id)).returning();
    const before = Object.fromEntries(Object.keys(input).map((k) => [k, ctx.workspace[k as keyof Workspace]]));
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "workspace.update", targetType: "workspace", targetId: ctx.workspace.id, before, after: input });
    return updated!;
  });
}
