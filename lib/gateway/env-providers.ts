// MISTRAL_API_KEY / OPENAI_API_KEY (with their base URLs) register upstream providers at start,
// and the upstream's model list is imported as aliases of the same names. Idempotent: a
// provider that exists is kept (its key updated when it changed), existing aliases are kept.
import { eq } from "drizzle-orm";
import { providers, type ProviderKind } from "@/db/schema";
import type { Config } from "@/lib/config";
import { seal } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/context";
import { addModel } from "@/lib/services/models";
import { addProvider, normalizeBaseUrl } from "@/lib/services/providers";
import { getUpstreamJson } from "./upstream";

type UpstreamModel = { id: string; max_context_length?: number; capabilities?: { completion_chat?: boolean; completion_fim?: boolean; function_calling?: boolean; vision?: boolean } };

export async function registerEnvProviders(db: Db, actor: Actor, config: Config, secret: string): Promise<void> {
  const wanted: { name: string; kind: ProviderKind; baseUrl: string; apiKey: string; region?: string }[] = [];
  if (config.MISTRAL_API_KEY) wanted.push({ name: "mistral", kind: "mistral", baseUrl: config.MISTRAL_BASE_URL, apiKey: config.MISTRAL_API_KEY, region: "eu" });
  if (config.OPENAI_API_KEY) wanted.push({ name: "openai", kind: "openai-compatible", baseUrl: config.OPENAI_BASE_URL, apiKey: config.OPENAI_API_KEY });
  for (const p of wanted) {
    try {
      const baseUrl = normalizeBaseUrl(p.baseUrl);
      const [existing] = await db.select().from(providers).where(eq(providers.name, p.name)).limit(1);
      if (existing) await db.update(providers).set({ encryptedApiKey: seal(p.apiKey, secret), baseUrl }).where(eq(providers.id, existing.id));
      else await addProvider(db, actor, p, secret, "env");
      const list = (await getUpstreamJson(baseUrl, "/v1/models", p.apiKey)) as { data?: UpstreamModel[] };
      let imported = 0;
      for (const m of list.data ?? []) {
        const c = m.capabilities;
        const embed = /embed/i.test(m.id);
        const capabilities = embed
          ? (["embeddings"] as const)
          : ([...(c?.completion_chat !== false ? ["chat"] : []), ...(c?.completion_fim ? ["fim"] : []), ...(c?.function_calling !== false ? ["function_calling"] : []), ...(c?.vision ? ["vision"] : [])] as ("chat" | "fim" | "function_calling" | "vision")[]);
        await addModel(db, actor, { alias: m.id, provider: p.name, upstreamModel: m.id, contextLength: m.max_context_length ?? 32768, capabilities: [...capabilities] }, { ifMissing: true });
        imported++;
      }
      log.info("registered upstream provider from the environment", { provider: p.name, models: imported });
    } catch (err) {
      log.warn("could not register an upstream provider from the environment", { provider: p.name, error: (err as Error).message });
    }
  }
}
