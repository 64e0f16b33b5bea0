// The one registry of provider adapters.
import type { ProviderKind } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import { localAdapter } from "./local";
import { mistralAdapter } from "./mistral";
import { openAiCompatibleAdapter } from "./openai-compatible";
import type { ProviderAdapter } from "./types";

const adapters: Partial<Record<ProviderKind, ProviderAdapter>> = {
  mistral: mistralAdapter,
  "openai-compatible": openAiCompatibleAdapter,
  local: localAdapter,
};

export function adapterFor(kind: ProviderKind): ProviderAdapter {
  const adapter = adapters[kind];
  if (!adapter) throw new BoraError("unavailable:provider", `Providers of kind "${kind}" are not available in this build.`);
  return adapter;
}
