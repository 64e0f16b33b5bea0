// POST /v1/chat/completions: chat, streamed (SSE) or not, with tools, JSON modes and images.
import { readJsonWithText } from "@/lib/http/json";
import { relay } from "../relay";
import { resolveModel } from "../resolve-model";
import { chatNeeds, chatRequest } from "../schemas/chat";
import { ChatPrompt } from "../prompt-tokens";
import { withApiKey } from "./with-api-key";

// Base64 images make chat bodies large; this bounds memory per request.
const maxBodyBytes = 20 * 1024 * 1024;

export const chatCompletions = withApiKey(async (ctx, req, res) => {
  const { value, text } = await readJsonWithText(req, maxBodyBytes);
  const body = value as Record<string, unknown>;
  const parsed = chatRequest.parse(body);
  const resolved = await resolveModel((a) => ctx.gw.catalog.get(a), ctx.key, parsed.model, { endpoint: "chat", ...chatNeeds(parsed) });
  await relay(ctx, req, res, "chat", body, resolved, new ChatPrompt(resolved.model.alias, parsed.messages, parsed.tools), undefined, text);
});
