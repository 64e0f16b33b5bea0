// POST /v1/embeddings: vectors for one input or a list.
import { readJson } from "@/lib/http/json";
import { relay } from "../relay";
import { resolveModel } from "../resolve-model";
import { embeddingsRequest } from "../schemas/fim";
import { TextPrompt } from "../prompt-tokens";
import { withApiKey } from "./with-api-key";

export const embeddings = withApiKey(async (ctx, req, res) => {
  const body = (await readJson(req, 8 * 1024 * 1024)) as Record<string, unknown>;
  const parsed = embeddingsRequest.parse(body);
  const resolved = await resolveModel((a) => ctx.gw.catalog.get(a), ctx.key, parsed.model, { endpoint: "embeddings" });
  const inputs = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
  // OpenAI's SDK asks for base64 by default; Mistral's API has floats only, so encode here.
  const { encoding_format: encoding, stream: _stream, ...upstreamBody } = body;
  await relay(ctx, req, res, "embeddings", upstreamBody, resolved, new TextPrompt(resolved.model.alias, inputs), encoding === "base64" ? toBase64 : undefined);
});

function toBase64(body: Record<string, unknown>): Record<string, unknown> {
  const data = (body.data as { embedding: unknown }[] | undefined) ?? [];
  return {
    ...body,
    data: data.map((d) => (Array.isArray(d.embedding) ? { ...d, embedding: Buffer.from(new Float32Array(d.embedding as number[]).buffer).toString("base64") } : d)),
  };
}
