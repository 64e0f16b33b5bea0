// The models the gateway can route to, with their deployments and providers (API keys opened
// in memory), reloaded from the database every few seconds so console changes apply quickly.
import { eq } from "drizzle-orm";
import { deployments, models, providers, type Model, type ModelCapabilities, type ProviderKind } from "@/db/schema";
import { open } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/client";
import { on } from "@/lib/events";
import { log } from "@/lib/log";
import { RefreshingCache } from "./refreshing-cache";

export type CatalogProvider = { id: string; name: string; kind: ProviderKind; baseUrl: string; apiKey?: string; region: string | null };
export type CatalogDeployment = { id: string; upstreamModel: string; priority: number; timeoutMs: number; provider: CatalogProvider };
export type CatalogModel = Pick<Model, "id" | "alias" | "description" | "inputPricePerMillion" | "outputPricePerMillion" | "contextLength" | "routing" | "candidates" | "createdAt" | "workspaceId" | "baseModel" | "batchPriceFactor"> & {
  capabilities: ModelCapabilities;
  deployments: CatalogDeployment[];
};

const maxAgeMs = 2_000;

export class Catalog {
  // One entry: the whole catalog, reloaded in the background before it grows old.
  private readonly cache = new RefreshingCache(() => this.load(), maxAgeMs);

  constructor(
    private readonly db: Db,
    private readonly secret: string,
  ) {
    on("catalog.changed", () => this.invalidate());
  }

  async get(alias: string): Promise<CatalogModel | undefined> {
    const models = this.cache.get(""); // one await less on a fresh catalog
    return (models instanceof Promise ? await models : models).get(alias);
  }

  async all(): Promise<CatalogModel[]> {
    return [...(await this.cache.get("")).values()];
  }

  /** Forget what was loaded: the next request reads the database (after a change here). */
  invalidate() {
    this.cache.clear();
  }

  private async load(): Promise<Map<string, CatalogModel>> {
    const [modelRows, rows] = await Promise.all([
      this.db.select().from(models).where(eq(models.archived, false)),
      this.db.select({ d: deployments, p: providers }).from(deployments).innerJoin(providers, eq(providers.id, deployments.providerId)),
    ]);
    const providerCache = new Map<string, CatalogProvider>();
    const next = new Map<string, CatalogModel>();
    for (const m of modelRows) {
      next.set(m.alias, { id: m.id, alias: m.alias, description: m.description, inputPricePerMillion: m.inputPricePerMillion, outputPricePerMillion: m.outputPricePerMillion, contextLength: m.contextLength, routing: m.routing, candidates: m.candidates, createdAt: m.createdAt, workspaceId: m.workspaceId, baseModel: m.baseModel, batchPriceFactor: m.batchPriceFactor, capabilities: m.capabilities, deployments: [] });
    }
    const byId = new Map([...next.values()].map((m) => [m.id, m]));
    for (const { d, p } of rows) {
      let provider = providerCache.get(p.id);
      if (!provider) {
        let apiKey: string | undefined;
        try {
          apiKey = p.encryptedApiKey ? open(p.encryptedApiKey, this.secret) : undefined;
        } catch {
          log.error("cannot decrypt a provider's API key: was BORA_SECRET changed?", { provider: p.name });
        }
        provider = { id: p.id, name: p.name, kind: p.kind, baseUrl: p.baseUrl, apiKey, region: p.region };
        providerCache.set(p.id, provider);
      }
      byId.get(d.modelId)?.deployments.push({ id: d.id, upstreamModel: d.upstreamModel, priority: d.priority, timeoutMs: d.timeoutMs, provider });
    }
    for (const m of next.values()) m.deployments.sort((a, b) => a.priority - b.priority);
    return next;
  }
}
