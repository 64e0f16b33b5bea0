// GGUF files in the models dir, read from their metadata alone (no weights are loaded), and
// registered as models of the local provider: at start, and on a rescan (console, CLI).
// A file that disappears leaves its alias in place; it reads as unavailable until it is back.
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { deployments, models, providers } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { emit } from "@/lib/events";
import { log } from "@/lib/log";
import { recordAudit } from "@/lib/services/audit";
import { requireInstanceAdmin } from "@/lib/services/authorize";
import type { Actor, Executor } from "@/lib/services/context";
import { addModel, type capabilityNames } from "@/lib/services/models";

export const localProviderName = "local";

export type LocalFile = {
  file: string;
  sizeBytes: number;
  contextLength: number;
  /** The GGUF carries tokenizer.chat_template (else a generic template is used for chat). */
  chatTemplate: boolean;
  capabilities: (typeof capabilityNames)[number][];
};

type Cached = { mtimeMs: number; size: number; info: Promise<LocalFile | null> };
const cache = new Map<string, Cached>();

/** The metadata a model needs, cached per path until the file changes. Null: not a model (a projector, unreadable). */
export function readLocalFile(dir: string, file: string): Promise<LocalFile | null> {
  const full = path.join(dir, file);
  const stat = fs.statSync(full, { throwIfNoEntry: false });
  if (!stat) return Promise.resolve(null); // gone since the dir was listed
  const hit = cache.get(full);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.info;
  const info = (async () => {
    const { readGgufFileInfo } = await import("node-llama-cpp");
    const gguf = await readGgufFileInfo(full, { readTensorInfo: false, logWarnings: false }).catch((err: Error) => {
      log.warn("cannot read a GGUF file's metadata", { file, error: err.message });
      return null;
    });
    if (!gguf) return null;
    const md = gguf.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
    const general = md.general as { architecture?: string; type?: string } | undefined;
    const arch = general?.architecture ?? "";
    // A vision projector (mmproj) is half of a model, not one: node-llama-cpp 3.22 cannot use it.
    if (general?.type === "mmproj" || arch === "clip") return null;
    const tokenizer = (md.tokenizer ?? {}) as { chat_template?: unknown; ggml?: Record<string, unknown> };
    const ggml = tokenizer.ggml ?? {};
    const has = (k: string) => typeof ggml[k] === "number";
    // Current llama.cpp names fim_pre/fim_suf; older converters prefix/suffix.
    const fim = (has("fim_pre_token_id") && has("fim_suf_token_id")) || (has("prefix_token_id") && has("suffix_token_id"));
    const contextLength = Number((md[arch] as { context_length?: number } | undefined)?.context_length) || 4096;
    // Every decoder gives embeddings through an embedding context; vision would need a projector.
    return { file, sizeBytes: stat.size, contextLength, chatTemplate: typeof tokenizer.chat_template === "string", capabilities: ["chat", "function_calling", ...(fim ? (["fim"] as const) : []), "embeddings"] } satisfies LocalFile;
  })();
  cache.set(full, { mtimeMs: stat.mtimeMs, size: stat.size, info });
  return info;
}

/** The GGUF models directly in the dir, by file name. */
export async function listLocalFiles(dir: string): Promise<LocalFile[]> {
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^[\w.-]+\.gguf$/.test(f)).sort() : [];
  const files = await Promise.all(names.map((f) => readLocalFile(dir, f)));
  return files.filter((f): f is LocalFile => f !== null);
}

/** "Mistral-7B-Instruct-v0.3.Q4_K_M.gguf" → "Mistral-7B-Instruct-v0.3.Q4_K_M" (what an alias may hold). */
export function aliasForFile(file: string): string {
  return file
    .replace(/\.gguf$/, "")
    .replace(/[^\w.:-]/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 80);
}

export async function ensureLocalProvider(db: Executor, actor: Actor): Promise<void> {
  const [local] = await db.select().from(providers).where(eq(providers.name, localProviderName)).limit(1);
  if (local) return;
  const [row] = await db.insert(providers).values({ name: localProviderName, kind: "local", baseUrl: "local://models", source: "system" }).returning();
  await recordAudit(db, actor, { action: "provider.add", targetType: "provider", targetId: row!.id, after: { name: localProviderName, kind: "local" } });
}

/** Local deployments: which alias routes to which file. */
export async function localDeployments(db: Executor): Promise<{ alias: string; file: string }[]> {
  return db
    .select({ alias: models.alias, file: deployments.upstreamModel })
    .from(deployments)
    .innerJoin(providers, eq(providers.id, deployments.providerId))
    .innerJoin(models, eq(models.id, deployments.modelId))
    .where(and(eq(providers.kind, "local"), eq(models.archived, false)));
}

export type ScanResult = { added: { alias: string; file: string }[]; unavailable: { alias: string; file: string }[]; skipped: { file: string; reason: string }[] };

export async function scanLocalModels(db: Db, actor: Actor, dir: string): Promise<ScanResult> {
  requireInstanceAdmin(actor);
  const files = await listLocalFiles(dir);
  const result: ScanResult = { added: [], unavailable: [], skipped: [] };
  const known = await localDeployments(db);
  const present = new Set(files.map((f) => f.file));
  result.unavailable = known.filter((d) => !present.has(d.file));
  const fresh = files.filter((f) => !known.some((d) => d.file === f.file));
  if (fresh.length) await ensureLocalProvider(db, actor);
  for (const f of fresh) {
    const alias = aliasForFile(f.file);
    const [taken] = alias ? await db.select({ id: models.id }).from(models).where(eq(models.alias, alias)).limit(1) : [];
    if (!alias || taken) {
      result.skipped.push({ file: f.file, reason: alias ? `the alias "${alias}" is taken by another model` : "no alias can be made from its name" });
      continue;
    }
    await addModel(db, actor, { alias, provider: localProviderName, upstreamModel: f.file, contextLength: f.contextLength, capabilities: f.capabilities, description: `A GGUF file found in the models dir (${f.file}).` }, { ifMissing: true });
    result.added.push({ alias, file: f.file });
  }
  if (result.added.length) emit("catalog.changed");
  return result;
}
