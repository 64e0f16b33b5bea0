// POST /v1/fim/completions: code completion between a prompt and a suffix, streamed or not.
import { readJsonWithText } from "@/lib/http/json";
import { relay } from "../relay";
import { resolveModel } from "../resolve-model";
import { fimRequest } from "../schemas/fim";
import { TextPrompt } from "../prompt-tokens";
import { withApiKey } from "./with-api-key";

export const fimCompletions = withApiKey(async (ctx, req, res) => {
  const { value, text } = await readJsonWithText(req, 4 * 1024 * 1024);
  const body = value as Record<string, unknown>;
  const parsed = fimRequest.parse(body);
  const resolved = await resolveModel((a) => ctx.gw.catalog.get(a), ctx.key, parsed.model, { endpoint: "fim" });
  await relay(ctx, req, res, "fim", body, resolved, new TextPrompt(resolved.model.alias, [parsed.prompt, parsed.suffix ?? ""]), undefined, text);
});
