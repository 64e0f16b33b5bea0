// POST /api/playground/chat and /fim: the console's playground, through the same gateway path as API
// traffic (model resolution, fallback, metering tagged "playground") under the signed-in
// member's workspace. No key secret ever reaches the browser.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Gateway } from "@/lib/gateway/gateway";
import type { KeyPrincipal } from "@/lib/gateway/keys";
import { relay } from "@/lib/gateway/relay";
import { resolveModel } from "@/lib/gateway/resolve-model";
import { chatNeeds, chatRequest } from "@/lib/gateway/schemas/chat";
import { fimRequest } from "@/lib/gateway/schemas/fim";
import { ChatPrompt, TextPrompt } from "@/lib/gateway/prompt-tokens";
import { readJson, sendJson } from "@/lib/http/json";
import { costNanos } from "@/lib/gateway/resolve-model";
import { authorize } from "@/lib/services/authorize";
import { assertSameOrigin, sessionUser } from "./session";

const playgroundRequest = z.looseObject({ workspace: z.string().min(1) });

/** The signed-in member and workspace behind a playground request, as a key-less principal. */
async function playgroundPrincipal(gw: Gateway, req: IncomingMessage): Promise<{ principal: KeyPrincipal; body: Record<string, unknown> }> {
  assertSameOrigin(req);
  const user = await sessionUser(req, gw.db);
  const raw = (await readJson(req, 20 * 1024 * 1024)) as Record<string, unknown>;
  const { workspace, ...body } = playgroundRequest.parse(raw);
  const ctx = await authorize(gw.db, { user, via: "console" }, { slug: workspace }, "playground:use");
  const principal: KeyPrincipal = { id: null, name: "playground", workspaceId: ctx.workspace.id, allowedModels: null, residencyPolicy: ctx.workspace.residencyPolicy, requestLogDays: ctx.workspace.requestLogDays, hashedSecret: "", expiresAt: null, revokedAt: null };
  return { principal, body };
}

export async function playgroundChat(gw: Gateway, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const started = performance.now();
  const { principal, body } = await playgroundPrincipal(gw, req);
  const parsed = chatRequest.parse(body);
  const resolved = await resolveModel((a) => gw.catalog.get(a), principal, parsed.model, { endpoint: "chat", ...chatNeeds(parsed) });
  await relay({ gw, key: principal, requestId, started, origin: "playground" }, req, res, "chat", body, resolved, new ChatPrompt(resolved.model.alias, parsed.messages, parsed.tools));
}

// POST /api/playground/fim: code completion between a prefix and a suffix, same path as /v1/fim.
export async function playgroundFim(gw: Gateway, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const started = performance.now();
  const { principal, body } = await playgroundPrincipal(gw, req);
  const parsed = fimRequest.parse(body);
  const resolved = await resolveModel((a) => gw.catalog.get(a), principal, parsed.model, { endpoint: "fim" });
  await relay({ gw, key: principal, requestId, started, origin: "playground" }, req, res, "fim", body, resolved, new TextPrompt(resolved.model.alias, [parsed.prompt, parsed.suffix ?? ""]));
}

// POST /api/playground/tokenize: the prompt's tokens and cost, counted as the person types.
export async function playgroundTokenize(gw: Gateway, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { principal, body } = await playgroundPrincipal(gw, req);
  const parsed = chatRequest.pick({ model: true, messages: true, tools: true }).parse(body);
  const resolved = await resolveModel((a) => gw.catalog.get(a), principal, parsed.model, { endpoint: "chat" });
  const family = resolved.deployments[0]?.upstreamModel ?? resolved.model.alias;
  const promptTokens = await new ChatPrompt(family, parsed.messages, parsed.tools).count();
  sendJson(res, 200, { prompt_tokens: promptTokens, max_context_length: resolved.model.contextLength, estimated_cost: costNanos(resolved.model, promptTokens, 0) / 1e9 });
}
