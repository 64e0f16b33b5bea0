// La Plateforme and anything else that speaks the Mistral API: the request passes through with
// the upstream's model name; answers are already in Mistral's shapes.
import type { ProviderAdapter } from "./types";

const paths = { chat: "/v1/chat/completions", fim: "/v1/fim/completions", embeddings: "/v1/embeddings" } as const;

export const mistralAdapter: ProviderAdapter = {
  request: (endpoint, body, upstreamModel) => ({ path: paths[endpoint], body: { ...body, model: upstreamModel } }),
  response: (_endpoint, body) => body,
  chunk: (_endpoint, chunk) => chunk,
  passthroughChunks: true,
};
