// The local engine's GGUF files as the console shows them: size, aliases, load state and
// memory; loading, unloading and deleting them is for instance administrators.
import { and, eq, inArray } from "drizzle-orm";
import { deployments, providers } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { localEngine } from "@/lib/engine";
import { listLocalFiles, localDeployments } from "@/lib/engine/discovery";
import type { LoadState } from "@/lib/engine/local-engine";
import { BoraError } from "@/lib/errors";
import { emit } from "@/lib/events";
import { recordAudit } from "./audit";
import { requireInstanceAdmin } from "./authorize";
import type { Actor } from "./context";

export type LocalModelView = LoadState & {
  file: string;
  /** Null: an alias points at a file that is no longer in the models dir. */
  sizeBytes: number | null;
  contextLength: number | null;
  chatTemplate: boolean;
  aliases: string[];
};

export async function listLocalModels(db: Db): Promise<LocalModelView[]> {
  const engine = localEngine();
  const [files, deps] = await Promise.all([listLocalFiles(engine.modelsDir), localDeployments(db)]);
  const aliasesOf = (file: string) => deps.filter((d) => d.file === file).map((d) => d.alias);
  const present = files.map((f) => ({ file: f.file, sizeBytes: f.sizeBytes, contextLength: f.contextLength, chatTemplate: f.chatTemplate, aliases: aliasesOf(f.file), ...engine.state(f.file) }));
  const missing = [...new Set(deps.map((d) => d.file))].filter((file) => !files.some((f) => f.file === file));
  return [...present, ...missing.map((file) => ({ file, sizeBytes: null, contextLength: null, chatTemplate: false, aliases: aliasesOf(file), state: "unloaded" as const }))];
}

function existing(file: string) {
  return listLocalFiles(localEngine().modelsDir).then((files) => {
    if (!files.some((f) => f.file === file)) throw new BoraError("not_found:local_model", `${file} is not in the models dir.`, { param: "file" });
  });
}

export async function loadLocalModel(actor: Actor, file: string): Promise<LoadState> {
  requireInstanceAdmin(actor);
  await existing(file);
  return localEngine().preload(file);
}

export async function unloadLocalModel(actor: Actor, file: string): Promise<void> {
  requireInstanceAdmin(actor);
  await localEngine().unload(file);
}

/** Deletes the file and the local deployments that route to it; the aliases (and their settings) stay. */
export async function deleteLocalModel(db: Db, actor: Actor, file: string): Promise<void> {
  requireInstanceAdmin(actor);
  await existing(file);
  await localEngine().deleteFile(file);
  const local = await db.select({ id: providers.id }).from(providers).where(eq(providers.kind, "local"));
  if (local.length) {
    await db.delete(deployments).where(and(eq(deployments.upstreamModel, file), inArray(deployments.providerId, local.map((p) => p.id))));
  }
  await recordAudit(db, actor, { action: "local_model.delete", targetType: "local_model", targetId: file, after: { file } });
  emit("catalog.changed");
}
