// La Plateforme and anything else that speaks the Mistral API: the request passes through with
// the upstream's model name; answers are already in Mistral's shapes.
import type { ProviderAdapter } from "./types";

const paths = { chat: "/v1/chat/completions", fim: "/v1/fim/completions", embeddings: "/v1/embeddings" } as const;

// The client's own bytes go upstream with only the model name swapped: re-serialising every
// request costs CPU for nothing. When the name cannot be found exactly once, serialise instead.
function swapModel(text: string | undefined, from: unknown, to: string): string | undefined {
  if (!text || typeof from !== "string") return undefined;
  const needle = `"model":${JSON.stringify(from)}`;
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) return undefined;
  return text.slice(0, at) + `"model":${JSON.stringify(to)}` + text.slice(at + needle.length);
}

export const mistralAdapter: ProviderAdapter = {
  request: (endpoint, body, upstreamModel, text) => ({ path: paths[endpoint], body: { ...body, model: upstreamModel }, text: swapModel(text, body.model, upstreamModel) }),
  response: (_endpoint, body) => body,
  chunk: (_endpoint, chunk) => chunk,
  passthroughChunks: true,
};
