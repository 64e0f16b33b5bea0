// The built-in engine (lib/engine): requests stay in this process; answers are already Mistral's.
import type { ProviderAdapter } from "./types";

export const localAdapter: ProviderAdapter = {
  request: (endpoint, body, upstreamModel) => ({ path: endpoint, body: { ...body, model: upstreamModel } }),
  response: (_endpoint, body) => body,
  chunk: (_endpoint, chunk) => chunk,
  passthroughChunks: true,
};
