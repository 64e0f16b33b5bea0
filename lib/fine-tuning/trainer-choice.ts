// Which trainer fine-tunes a base model: the provider of its first deployment decides. La
// Plateforme models train upstream (mistral trainer); models Bora serves itself or through an
// OpenAI-compatible server train with the configured command (BORA_TRAINER_COMMAND).
import { and, asc, eq, isNull, or } from "drizzle-orm";
import { deployments, models, providers, type FineTuningJob, type Model } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import type { Executor } from "@/lib/services/context";

export type TrainerChoice = { trainer: FineTuningJob["trainer"]; providerId: string; upstreamModel: string; model: Model };

// Set once at start from the configuration (BORA_TRAINER_COMMAND, BORA_TRAINER_PROVIDER).
const settings: { command?: string; provider?: string } = {};

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

export async function chooseTrainer(db: Executor, workspaceId: string, alias: string): Promise<TrainerChoice> {
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
  if (first.kind === "mistral") return { trainer: "mistral", providerId: first.providerId, upstreamModel: first.upstreamModel, model };
  if (trainerCommand()) return { trainer: "command", providerId: first.providerId, upstreamModel: first.upstreamModel, model };
  throw new BoraError("bad_request:model", `The model "${alias}" cannot be fine-tuned here: it is not served by La Plateforme, and no trainer command is configured (BORA_TRAINER_COMMAND).`, { param: "model" });
}

export async function canFineTune(db: Executor, workspaceId: string, alias: string): Promise<boolean> {
  return chooseTrainer(db, workspaceId, alias).then(
    () => true,
    () => false,
  );
}
