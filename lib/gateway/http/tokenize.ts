// POST /v1/tokenize (Bora's own): prompt tokens of a chat or FIM request, counted with the model
// family's real tokenizer, and what they would cost.
import { z } from "zod";
import { readJson, sendJson } from "@/lib/http/json";
import { costNanos, resolveModel } from "../resolve-model";
import { chatRequest } from "../schemas/chat";
import { ChatPrompt, TextPrompt } from "../prompt-tokens";
import { withApiKey } from "./with-api-key";

const tokenizeRequest = z.union([
  chatRequest.pick({ model: true, messages: true, tools: true }),
  z.object({ model: z.string().min(1), prompt: z.string(), suffix: z.string().optional() }),
]);

export const tokenize = withApiKey(async (ctx, req, res) => {
  const parsed = tokenizeRequest.parse(await readJson(req, 20 * 1024 * 1024));
  const chat = "messages" in parsed;
  const resolved = await resolveModel((a) => ctx.gw.catalog.get(a), ctx.key, parsed.model, { endpoint: chat ? "chat" : "fim" });
  const family = resolved.deployments[0]?.upstreamModel ?? resolved.model.alias;
  const promptTokens = await (chat ? new ChatPrompt(family, parsed.messages, parsed.tools) : new TextPrompt(family, [parsed.prompt + (parsed.suffix ?? "")])).count();
  sendJson(res, 200, {
    object: "tokenize",
    model: resolved.model.alias,
    prompt_tokens: promptTokens,
    max_context_length: resolved.model.contextLength,
    estimated_cost: costNanos(resolved.model, promptTokens, 0) / 1e9,
    currency: "USD",
  });
});
