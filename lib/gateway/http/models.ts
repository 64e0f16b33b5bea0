// GET /v1/models and GET /v1/models/{id}: the models the calling key may use, with capabilities.
import fs from "node:fs";
import path from "node:path";
import { localEngine } from "@/lib/engine";
import { BoraError } from "@/lib/errors";
import { sendJson } from "@/lib/http/json";
import type { CatalogModel } from "../catalog";
import { trainerCommand } from "@/lib/fine-tuning/trainer-choice";
import { keyAllows, visibleTo } from "../resolve-model";
import { withApiKey } from "./with-api-key";

/** False when every deployment is a local GGUF file that has left the models dir. */
function available(m: CatalogModel): boolean {
  if (m.deployments.length === 0 || m.deployments.some((d) => d.provider.kind !== "local")) return true;
  const engine = localEngine();
  return m.deployments.some((d) => fs.existsSync(path.join(engine.modelsDir, d.upstreamModel)));
}

function card(m: CatalogModel) {
  const c = m.capabilities;
  return {
    id: m.alias,
    object: "model",
    created: Math.floor(m.createdAt.getTime() / 1000),
    owned_by: "bora",
    name: m.alias,
    description: m.description,
    max_context_length: m.contextLength,
    aliases: [],
    type: m.workspaceId ? "fine-tuned" : "base",
    ...(m.baseModel ? { root: m.baseModel, archived: false, job_type: "completion" } : {}),
    capabilities: { completion_chat: c.chat, completion_fim: c.fim, function_calling: c.functionCalling, vision: c.vision, fine_tuning: !m.workspaceId && m.routing === "ordered" && (m.deployments[0]?.provider.kind === "mistral" || Boolean(trainerCommand())), classification: false },
    // Bora's own field: an alias whose local file was removed stays listed, unavailable.
    available: available(m),
    pricing: { input_per_million_tokens: m.inputPricePerMillion, output_per_million_tokens: m.outputPricePerMillion, currency: "USD" },
  };
}

export const listModels = withApiKey(async (ctx, _req, res) => {
  const models = (await ctx.gw.catalog.all()).filter((m) => visibleTo(ctx.key, m) && keyAllows(ctx.key, m.alias)).sort((a, b) => a.alias.localeCompare(b.alias));
  sendJson(res, 200, { object: "list", data: models.map(card) });
});

export const getModel = withApiKey(async (ctx, _req, res, params) => {
  const model = await ctx.gw.catalog.get(params.id ?? "");
  if (!model || !visibleTo(ctx.key, model) || !keyAllows(ctx.key, model.alias)) throw new BoraError("not_found:model", `Model "${params.id}" does not exist or is not available to this key.`, { param: "model_id" });
  sendJson(res, 200, card(model));
});
