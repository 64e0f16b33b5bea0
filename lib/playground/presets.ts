// Presets: a model with its settings, saved under a name and shared by the workspace. Anyone in
// the workspace may list and apply them; those who may use the playground save and delete them.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { playgroundPresets } from "@/db/schema";
import { roleCan } from "@/lib/auth/permissions";
import { BoraError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit";
import type { Executor, WorkspaceContext } from "@/lib/services/context";
import { isUuid } from "./ids";
import { playgroundSettings, type Settings } from "./settings";

export const savePresetInput = z.object({
  name: z.string().trim().min(1, "Give the preset a name.").max(80, "80 characters at most."),
  settings: playgroundSettings,
  // Saving under a name already taken replaces that preset only when asked to.
  overwrite: z.boolean().default(false),
});
export const deletePresetInput = z.object({ id: z.string() });

export type Preset = { id: string; name: string; settings: Settings; updatedAt: Date };

function view(row: typeof playgroundPresets.$inferSelect): Preset {
  // Settings saved by an older playground get today's defaults for what they lack.
  const parsed = playgroundSettings.safeParse(row.settings);
  return { id: row.id, name: row.name, settings: parsed.success ? parsed.data : playgroundSettings.parse({ model: "unknown" }), updatedAt: row.updatedAt };
}

// The door authorizes; this holds even for a door that only checked a read permission.
function assertMayChange(ctx: WorkspaceContext) {
  if (!roleCan(ctx.role, "playground:use")) throw new BoraError("forbidden:playground", `Your role (${ctx.role}) can apply presets but not save or delete them.`);
}

export async function listPresets(db: Executor, ctx: WorkspaceContext): Promise<Preset[]> {
  const rows = await db.select().from(playgroundPresets).where(eq(playgroundPresets.workspaceId, ctx.workspace.id)).orderBy(asc(playgroundPresets.name));
  return rows.map(view);
}

export async function savePreset(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof savePresetInput>): Promise<Preset> {
  assertMayChange(ctx);
  const input = savePresetInput.parse(raw);
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(playgroundPresets)
      .where(and(eq(playgroundPresets.workspaceId, ctx.workspace.id), eq(playgroundPresets.name, input.name)))
      .limit(1);
    if (existing && !input.overwrite) throw new BoraError("conflict:preset", `A preset named "${input.name}" exists. Overwrite it, or choose another name.`, { param: "name" });
    const [row] = existing
      ? await tx.update(playgroundPresets).set({ settings: input.settings, updatedAt: new Date() }).where(eq(playgroundPresets.id, existing.id)).returning()
      : await tx.insert(playgroundPresets).values({ workspaceId: ctx.workspace.id, name: input.name, settings: input.settings, createdBy: ctx.user.id }).returning();
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: existing ? "playground_preset.update" : "playground_preset.create", targetType: "playground_preset", targetId: row!.id, before: existing ? { settings: existing.settings } : undefined, after: { name: input.name, settings: input.settings } });
    return view(row!);
  });
}

export async function deletePreset(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof deletePresetInput>): Promise<void> {
  assertMayChange(ctx);
  const { id } = deletePresetInput.parse(raw);
  if (!isUuid(id)) throw presetNotFound();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(playgroundPresets)
      .where(and(eq(playgroundPresets.id, id), eq(playgroundPresets.workspaceId, ctx.workspace.id)))
      .returning();
    if (!row) throw presetNotFound();
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "playground_preset.delete", targetType: "playground_preset", targetId: row.id, before: { name: row.name, settings: row.settings } });
  });
}

function presetNotFound() {
  return new BoraError("not_found:preset", "Preset not found. It may have been deleted.");
}
