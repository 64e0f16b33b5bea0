// Which trainer fine-tunes a base model: the provider of its first deployment decides. La
// Plateforme models train upstream (mistral trainer); so do models of an OpenAI-compatible
// server that answers OpenAI's fine-tuning API (openai-compatible trainer), which is asked when
// the job is created; the rest train with the configured command (BORA_TRAINER_COMMAND).
import { and, asc, eq, isNull, or } from "drizzle-orm";
import { deployments, models, providers, type FineTuningJob, type Model } from "@/db/schema";
import { getSecret } from "@/lib/auth/secret";
import { BoraError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Executor } from "@/lib/services/context";
import { upstreamClient } from "./trainers/upstream-client";

export type TrainerChoice = { trainer: FineTuningJob["trainer"]; providerId: string; upstreamModel: string; model: Model };

// Set once at start from the configuration (BORA_TRAINER_COMMAND, BORA_TRAINER_PROVIDER).
// On globalThis: Next's bundles load their own copy of this module, and the console's server
// actions must see what the server configured.
const settingsKey = Symbol.for("bora.trainerSettings");
const settings = ((globalThis as { [settingsKey]?: { command?: string; provider?: string } })[settingsKey] ??= {});

export function configureTrainer(command?: string, provider?: string) {
  settings.command = command;
  settings.provider = provider;
}

export function trainerCommand(): string | undefined {
  return settings.command;
}

export function trainerProvider(): string | undefined {
  return settings.provider;
}

/** A model the workspace can see: instance-wide, or its own. */
export async function visibleModel(db: Executor, workspaceId: string, alias: string): Promise<Model | undefined> {
  const [model] = await db
    .select()
    .from(models)
    .where(and(eq(models.alias, alias), eq(models.archived, false), or(isNull(models.workspaceId), eq(models.workspaceId, workspaceId))))
    .limit(1);
  return model;
}

/** The base model and its first deployment, whose provider trains it. */
export async function baseDeployment(db: Executor, workspaceId: string, alias: string) {
  const model = await visibleModel(db, workspaceId, alias);
  if (!model) throw new BoraError("not_found:model", `Model "${alias}" does not exist. GET /v1/models lists the models this key can use.`, { param: "model" });
  const [first] = await db
    .select({ kind: providers.kind, providerId: providers.id, upstreamModel: deployments.upstreamModel })
    .from(deployments)
    .innerJoin(providers, eq(providers.id, deployments.providerId))
    .where(eq(deployments.modelId, model.id))
    .orderBy(asc(deployments.priority))
    .limit(1);
  if (!first) throw new BoraError("bad_request:model", `The model "${alias}" cannot be fine-tuned: it has no deployment.`, { param: "model" });
  return { ...first, model };
}

/**
 * With `probe` (creating a job), an OpenAI-compatible upstream is asked whether it fine-tunes;
 * without it (listing candidates), it counts as able to, so a page of models asks no upstream.
 */
export async function chooseTrainer(db: Executor, workspaceId: string, alias: string, { probe = true }: { probe?: boolean } = {}): Promise<TrainerChoice> {
  const { kind, ...base } = await baseDeployment(db, workspaceId, alias);
  if (kind === "mistral") return { trainer: "mistral", ...base };
  if (kind === "openai-compatible" && (!probe || (await offersFineTuning(db, base.providerId)))) return { trainer: "openai-compatible", ...base };
  if (trainerCommand()) return { trainer: "command", ...base };
  throw new BoraError("bad_request:model", `The model "${alias}" cannot be fine-tuned here: its upstream offers neither La Plateforme's nor OpenAI's fine-tuning API, and no trainer command is configured (BORA_TRAINER_COMMAND).`, { param: "model" });
}

// Short: the client creating the job waits for it, and an upstream that does not answer soon
// is one Bora should not hand a job to.
const probeTimeoutMs = 3_000;

/** Whether the provider lists fine-tuning jobs as OpenAI does (GET /v1/fine_tuning/jobs?limit=1). */
async function offersFineTuning(db: Executor, providerId: string): Promise<boolean> {
  try {
    const upstream = await upstreamClient(db, providerId, getSecret(), AbortSignal.timeout(probeTimeoutMs));
    const page = await upstream.json<{ data?: unknown }>("GET", "/v1/fine_tuning/jobs?limit=1");
    return Array.isArray(page.data);
  } catch (err) {
    // A 404 (vLLM, Ollama), a refused key, a timeout: not this way.
    log.info("fine-tuning: the upstream does not answer OpenAI's fine-tuning API", { providerId, err: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

export async function canFineTune(db: Executor, workspaceId: string, alias: string): Promise<boolean> {
  return chooseTrainer(db, workspaceId, alias, { probe: false }).then(
    () => true,
    () => false,
  );
}
