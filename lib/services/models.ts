// Model aliases and the deployments behind them, managed by instance administrators. An alias
// is what clients send as `model`; it routes to deployments (provider + upstream model) in
// priority order, or, for "auto" aliases, to the cheapest candidate that fits the request.
import { and, asc, eq, inArray, isNull, max, or } from "drizzle-orm";
import { z } from "zod";
import { deployments, models, providers, type ModelCapabilities } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import { emit } from "@/lib/events";
import { recordAudit } from "./audit";
import { requireInstanceAdmin } from "./authorize";
import type { Actor, Executor } from "./context";
import { findProvider } from "./providers";

export const capabilityNames = ["chat", "fim", "embeddings", "function_calling", "vision"] as const;

const aliasSchema = z.string().trim().regex(/^[A-Za-z0-9][\w.:-]{0,79}$/, "Use letters, digits, dots, dashes, colons and underscores.");
const price = z.coerce.number().min(0, "Prices cannot be negative.").max(10_000);

export const addModelInput = z.object({
  alias: aliasSchema,
  provider: z.string().trim().min(1).optional(),
  upstreamModel: z.string().trim().min(1).optional(),
  inputPrice: price.default(0),
  outputPrice: price.default(0),
  contextLength: z.coerce.number().int().min(1).max(10_000_000).default(32768),
  capabilities: z.array(z.enum(capabilityNames)).default(["chat", "function_calling"]),
  description: z.string().max(500).default(""),
  // For "auto" aliases: the aliases to choose from.
  candidates: z.array(aliasSchema).min(1).optional(),
});

export function capabilitiesFrom(names: readonly string[]): ModelCapabilities {
  return { chat: names.includes("chat"), fim: names.includes("fim"), embeddings: names.includes("embeddings"), functionCalling: names.includes("function_calling"), vision: names.includes("vision") };
}

export type ModelView = {
  alias: string;
  description: string;
  inputPricePerMillion: number;
  outputPricePerMillion: number;
  contextLength: number;
  capabilities: ModelCapabilities;
  routing: "ordered" | "auto";
  candidates: string[] | null;
  /** Set for a fine-tuned model: the model it was tuned from. */
  baseModel: string | null;
  trainingPricePerMillion: number;
  /** Share of the list price batch requests pay. */
  batchPriceFactor: number;
  deployments: { provider: string; upstreamModel: string; priority: number }[];
};

export async function addModel(db: Executor, actor: Actor, raw: z.input<typeof addModelInput>, opts: { ifMissing?: boolean } = {}): Promise<ModelView> {
  requireInstanceAdmin(actor);
  const input = addModelInput.parse(raw);
  if (!input.candidates && !input.provider) throw new BoraError("unprocessable:provider", "Give a provider (and its upstream model), or candidates for an auto alias.", { param: "provider" });
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: models.id }).from(models).where(eq(models.alias, input.alias)).limit(1);
    if (existing) {
      if (opts.ifMissing) return (await listModels(tx, [input.alias]))[0]!;
      throw new BoraError("conflict:model", `A model named "${input.alias}" exists.`, { param: "alias" });
    }
    if (input.candidates) {
      const known = await tx.select({ alias: models.alias }).from(models).where(inArray(models.alias, input.candidates));
      const missing = input.candidates.filter((c) => !known.some((k) => k.alias === c));
      if (missing.length) throw new BoraError("not_found:model", `Unknown candidate models: ${missing.join(", ")}.`, { param: "candidates" });
    }
    const provider = input.provider ? await findProvider(tx, input.provider) : undefined;
    const [model] = await tx
      .insert(models)
      .values({
        alias: input.alias,
        description: input.description,
        inputPricePerMillion: input.inputPrice,
        outputPricePerMillion: input.outputPrice,
        contextLength: input.contextLength,
        capabilities: capabilitiesFrom(input.capabilities),
        routing: input.candidates ? "auto" : "ordered",
        candidates: input.candidates ?? null,
      })
      .returning();
    if (provider) await tx.insert(deployments).values({ modelId: model!.id, providerId: provider.id, upstreamModel: input.upstreamModel ?? input.alias, priority: 0 });
    await recordAudit(tx, actor, { action: "model.add", targetType: "model", targetId: model!.id, after: { ...input } });
    return (await listModels(tx, [input.alias]))[0]!;
  }).finally(() => emit("catalog.changed"));
}

export const addDeploymentInput = z.object({ alias: aliasSchema, provider: z.string().trim().min(1), upstreamModel: z.string().trim().min(1), priority: z.coerce.number().int().optional() });

/** Adds a fallback (or, with a lower priority, a preferred) deployment to an alias. */
export async function addDeployment(db: Executor, actor: Actor, raw: z.input<typeof addDeploymentInput>): Promise<ModelView> {
  requireInstanceAdmin(actor);
  const input = addDeploymentInput.parse(raw);
  return db.transaction(async (tx) => {
    const [model] = await tx.select().from(models).where(eq(models.alias, input.alias)).limit(1);
    if (!model) throw new BoraError("not_found:model", `No model named "${input.alias}".`, { param: "alias" });
    const provider = await findProvider(tx, input.provider);
    const [last] = await tx.select({ p: max(deployments.priority) }).from(deployments).where(eq(deployments.modelId, model.id));
    const priority = input.priority ?? (last?.p ?? -1) + 1;
    await tx.insert(deployments).values({ modelId: model.id, providerId: provider.id, upstreamModel: input.upstreamModel, priority });
    await recordAudit(tx, actor, { action: "deployment.add", targetType: "model", targetId: model.id, after: { provider: provider.name, upstreamModel: input.upstreamModel, priority } });
    return (await listModels(tx, [input.alias]))[0]!;
  }).finally(() => emit("catalog.changed"));
}

/**
 * Instance-wide models, plus a workspace's own (fine-tuned) ones when it is named: a workspace
 * never sees another's. With `aliases`, exactly those (archived or not).
 */
export async function listModels(db: Executor, aliases?: string[], opts: { workspaceId?: string } = {}): Promise<ModelView[]> {
  const visible = opts.workspaceId ? or(isNull(models.workspaceId), eq(models.workspaceId, opts.workspaceId)) : isNull(models.workspaceId);
  const rows = await db
    .select()
    .from(models)
    .where(aliases ? inArray(models.alias, aliases) : and(eq(models.archived, false), visible))
    .orderBy(asc(models.alias));
  const deps = rows.length
    ? await db
        .select({ modelId: deployments.modelId, provider: providers.name, upstreamModel: deployments.upstreamModel, priority: deployments.priority })
        .from(deployments)
        .innerJoin(providers, eq(providers.id, deployments.providerId))
        .where(inArray(deployments.modelId, rows.map((r) => r.id)))
        .orderBy(asc(deployments.priority))
    : [];
  return rows.map((m) => ({
    alias: m.alias,
    description: m.description,
    inputPricePerMillion: m.inputPricePerMillion,
    outputPricePerMillion: m.outputPricePerMillion,
    contextLength: m.contextLength,
    capabilities: m.capabilities,
    routing: m.routing,
    candidates: m.candidates,
    baseModel: m.baseModel,
    trainingPricePerMillion: m.trainingPricePerMillion,
    batchPriceFactor: m.batchPriceFactor,
    deployments: deps.filter((d) => d.modelId === m.id).map(({ provider, upstreamModel, priority }) => ({ provider, upstreamModel, priority })),
  }));
}
