// From the `model` a client sent to the model that serves it: exists, allowed for the key,
// able to do what the request needs, and deployed where the workspace's residency allows.
// "auto" aliases pick the cheapest candidate that fits.
import { BoraError } from "@/lib/errors";
import type { CatalogDeployment, CatalogModel } from "./catalog";
import type { KeyPrincipal } from "./keys";
import type { Endpoint } from "./providers/types";

export type Needs = { endpoint: Endpoint; vision?: boolean; tools?: boolean; promptTokens?: number };
export type Resolved = { model: CatalogModel; deployments: CatalogDeployment[] };

const capabilityOf: Record<Endpoint, "chat" | "fim" | "embeddings"> = { chat: "chat", fim: "fim", embeddings: "embeddings" };

export function keyAllows(key: KeyPrincipal, alias: string): boolean {
  return !key.allowedModels || key.allowedModels.includes(alias);
}

/** A workspace's own (fine-tuned) models exist for it alone; others read them as unknown. */
export function visibleTo(key: Pick<KeyPrincipal, "workspaceId">, model: Pick<CatalogModel, "workspaceId">): boolean {
  return !model.workspaceId || model.workspaceId === key.workspaceId;
}

export async function resolveModel(lookup: (alias: string) => Promise<CatalogModel | undefined>, key: KeyPrincipal, alias: string, needs: Needs): Promise<Resolved> {
  const found = await lookup(alias);
  const model = found && visibleTo(key, found) ? found : undefined;
  if (!model) throw new BoraError("not_found:model", `Model "${alias}" does not exist. GET /v1/models lists the models this key can use.`, { param: "model" });
  if (!keyAllows(key, alias)) throw new BoraError("forbidden:model", `This API key may not use the model "${alias}".`, { param: "model" });
  if (model.routing === "auto") return resolveAuto(lookup, key, model, needs);
  const problem = unfit(model, needs);
  if (problem) throw new BoraError("bad_request:model", problem.message, { param: problem.param });
  return { model, deployments: allowedDeployments(model, key) };
}

/** Why a model cannot serve the request, and the parameter to blame (images sit in the messages). */
function unfit(model: CatalogModel, needs: Needs): { message: string; param: string } | undefined {
  const c = model.capabilities;
  if (!c[capabilityOf[needs.endpoint]]) return problem(`The model "${model.alias}" does not support ${needs.endpoint === "fim" ? "fill-in-the-middle" : needs.endpoint}.`);
  if (needs.vision && !c.vision) return problem(`The model "${model.alias}" does not accept images.`, "messages");
  if (needs.tools && !c.functionCalling) return problem(`The model "${model.alias}" does not support tool calls.`);
  if (needs.promptTokens && needs.promptTokens > model.contextLength) return problem(`The prompt (${needs.promptTokens} tokens) is longer than the context of "${model.alias}" (${model.contextLength}).`);
  return undefined;
}

// At module level: a closure made per request is renamed by tsx (keepNames) at some CPU cost.
function problem(message: string, param = "model") {
  return { message, param };
}

// The local engine runs on Bora's own host: its data stays wherever Bora is deployed.
const inEu = (d: CatalogDeployment) => d.provider.region === "eu" || d.provider.kind === "local";

function allowedDeployments(model: CatalogModel, key: KeyPrincipal): CatalogDeployment[] {
  if (key.residencyPolicy !== "eu-only") return model.deployments;
  const eu = model.deployments.filter((d) => inEu(d));
  if (eu.length === 0) throw new BoraError("forbidden:residency", `This workspace only uses EU deployments, and "${model.alias}" has none.`, { param: "model" });
  return eu;
}

async function resolveAuto(lookup: (alias: string) => Promise<CatalogModel | undefined>, key: KeyPrincipal, auto: CatalogModel, needs: Needs): Promise<Resolved> {
  const fits: CatalogModel[] = [];
  for (const alias of auto.candidates ?? []) {
    const m = await lookup(alias);
    if (!m || !visibleTo(key, m) || m.routing === "auto" || unfit(m, needs)) continue;
    if (key.residencyPolicy === "eu-only" && !m.deployments.some(inEu)) continue;
    fits.push(m);
  }
  fits.sort((a, b) => a.inputPricePerMillion + a.outputPricePerMillion - (b.inputPricePerMillion + b.outputPricePerMillion));
  const chosen = fits[0];
  if (!chosen) throw new BoraError("bad_request:model", `None of the models behind "${auto.alias}" can serve this request.`, { param: "model" });
  return { model: chosen, deployments: allowedDeployments(chosen, key) };
}

/** Cost in billionths of a dollar: prices are dollars per million tokens. */
export function costNanos(model: Pick<CatalogModel, "inputPricePerMillion" | "outputPricePerMillion">, promptTokens: number, completionTokens: number): number {
  return Math.round(promptTokens * model.inputPricePerMillion * 1000 + completionTokens * model.outputPricePerMillion * 1000);
}
