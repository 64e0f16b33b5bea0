// "Does this provider answer?": lists its models with its key, and says how long that took.
import { open } from "@/lib/crypto/secret-box";
import { getUpstreamJson } from "@/lib/gateway/upstream";
import { requireInstanceAdmin } from "./authorize";
import type { Actor, Executor } from "./context";
import { findProvider } from "./providers";

export async function checkProvider(db: Executor, actor: Actor, name: string, secret: string) {
  requireInstanceAdmin(actor);
  const provider = await findProvider(db, name);
  const started = performance.now();
  try {
    const list = (await getUpstreamJson(provider.baseUrl, "/v1/models", provider.encryptedApiKey ? open(provider.encryptedApiKey, secret) : undefined)) as { data?: { id: string }[] };
    return { ok: true, provider: name, latencyMs: Math.round(performance.now() - started), models: (list.data ?? []).map((m) => m.id) };
  } catch (err) {
    return { ok: false, provider: name, latencyMs: Math.round(performance.now() - started), error: (err as Error).message };
  }
}
