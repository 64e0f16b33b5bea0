// Upstream providers: instance-wide, managed by instance administrators. Their API keys are
// sealed with BORA_SECRET before they touch the database and never leave the server.
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { providerKinds, providers, type Provider } from "@/db/schema";
import { seal } from "@/lib/crypto/secret-box";
import { BoraError } from "@/lib/errors";
import { emit } from "@/lib/events";
import { recordAudit } from "./audit";
import { requireInstanceAdmin } from "./authorize";
import type { Actor, Executor } from "./context";

/** "https://api.mistral.ai/v1/" → "https://api.mistral.ai": adapters add the /v1 paths themselves. */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/v1$/, "");
}

export const addProviderInput = z.object({
  name: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use lower-case letters, digits and dashes."),
  kind: z.enum(providerKinds),
  baseUrl: z.url("Give the provider's base URL, e.g. https://api.mistral.ai").transform(normalizeBaseUrl),
  apiKey: z.string().trim().optional(),
  region: z.string().trim().toLowerCase().max(20).optional(),
});

export type PublicProvider = Pick<Provider, "id" | "name" | "kind" | "baseUrl" | "region" | "source" | "createdAt"> & { hasApiKey: boolean };

export function publicProvider(p: Provider): PublicProvider {
  return { id: p.id, name: p.name, kind: p.kind, baseUrl: p.baseUrl, region: p.region, source: p.source, createdAt: p.createdAt, hasApiKey: Boolean(p.encryptedApiKey) };
}

export async function addProvider(db: Executor, actor: Actor, raw: z.input<typeof addProviderInput>, secret: string, source: "admin" | "env" = "admin"): Promise<PublicProvider> {
  requireInstanceAdmin(actor);
  const input = addProviderInput.parse(raw);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: providers.id }).from(providers).where(eq(providers.name, input.name)).limit(1);
    if (existing) throw new BoraError("conflict:provider", `A provider named "${input.name}" exists.`, { param: "name" });
    const [row] = await tx
      .insert(providers)
      .values({ name: input.name, kind: input.kind, baseUrl: input.baseUrl, encryptedApiKey: input.apiKey ? seal(input.apiKey, secret) : null, region: input.region || null, source })
      .returning();
    await recordAudit(tx, actor, { action: "provider.add", targetType: "provider", targetId: row!.id, after: { name: row!.name, kind: row!.kind, baseUrl: row!.baseUrl, region: row!.region } });
    return publicProvider(row!);
  }).finally(() => emit("catalog.changed"));
}

export async function listProviders(db: Executor): Promise<PublicProvider[]> {
  return (await db.select().from(providers).orderBy(asc(providers.name))).map(publicProvider);
}

export async function findProvider(db: Executor, name: string): Promise<Provider> {
  const [row] = await db.select().from(providers).where(eq(providers.name, name)).limit(1);
  if (!row) throw new BoraError("not_found:provider", `No provider named "${name}".`, { param: "provider" });
  return row;
}
