// keys, providers, models, usage.
import { list, listing, need, num, str, workspaceOf, type Command, type Flags } from "../command";
import { UsageError } from "../command";
import { printTable } from "../table";

/** "large:rpm=5,small:rpm=100:tpm=20000" → per-model limits. */
export function modelLimits(flags: Flags, name = "model-limits") {
  const raw = str(flags, name);
  if (raw === undefined) return undefined;
  return raw
    .split(",")
    .filter(Boolean)
    .map((part) => {
      const [model, ...pairs] = part.trim().split(":");
      const limits: Record<string, number> = {};
      for (const p of pairs) {
        const [k, v] = p.split("=");
        if ((k !== "rpm" && k !== "tpm") || !v || !Number.isFinite(Number(v))) throw new UsageError(`--${name}: "${p}" should be rpm=N or tpm=N.`);
        limits[k] = Number(v);
      }
      if (!model) throw new UsageError(`--${name}: give a model before its limits.`);
      return { model, ...limits };
    });
}

export const platformCommands: Record<string, Command> = {
  "keys create": {
    summary: "create an API key for /v1 (prints the secret once)",
    usage: "--workspace SLUG --name N [--models a,b] [--expires 30d|2027-01-31] [--rpm N] [--tpm N] [--concurrency N] [--monthly-tokens N] [--monthly-spend USD] [--model-limits large:rpm=5,small:tpm=20000] [--scopes usage:read]",
    async run(client, flags) {
      const r = (await client.call("keys.create", workspaceOf(flags), {
        name: need(flags, "name"),
        models: list(flags, "models"),
        expires: str(flags, "expires"),
        rpm: num(flags, "rpm"),
        tpm: num(flags, "tpm"),
        maxConcurrent: num(flags, "concurrency"),
        monthlyTokenQuota: num(flags, "monthly-tokens"),
        monthlySpendQuotaUsd: num(flags, "monthly-spend"),
        modelLimits: modelLimits(flags),
        scopes: list(flags, "scopes"),
      })) as { key: { prefix: string }; secret: string };
      return { data: r, text: () => console.log(`Created key ${r.key.prefix}.\nSecret (shown once): ${r.secret}`) };
    },
  },
  "keys list": { summary: "list a workspace's API keys (prefixes only)", usage: "--workspace SLUG", run: listing("keys.list", ["prefix", "name", "allowedModels", "scopes", "rpm", "tpm", "maxConcurrent", "monthlyTokenQuota", "monthlySpendQuotaNanos", "expiresAt", "revokedAt", "lastUsedAt"], workspaceOf) },
  "keys revoke": {
    summary: "revoke an API key by prefix or id",
    usage: "--workspace SLUG --key PREFIX",
    async run(client, flags) {
      const k = (await client.call("keys.revoke", { ...workspaceOf(flags), key: need(flags, "key") })) as { prefix: string };
      return { data: k, text: () => console.log(`Revoked ${k.prefix}.`) };
    },
  },
  "keys update": {
    summary: "change a key's name, models, limits or expiry (the secret stays); 0 or \"\" clears a limit or expiry",
    usage: "--workspace SLUG --key PREFIX [--name N] [--models a,b|all] [--rpm N] [--tpm N] [--concurrency N] [--monthly-tokens N] [--monthly-spend USD] [--model-limits large:rpm=5] [--expires 30d|\"\"]",
    async run(client, flags) {
      const limit = (name: string) => {
        const n = num(flags, name);
        return n === undefined ? undefined : n === 0 ? null : n;
      };
      const models = str(flags, "models");
      const k = (await client.call("keys.update", { ...workspaceOf(flags), key: need(flags, "key") }, {
        name: str(flags, "name"),
        models: models === undefined ? undefined : models === "all" ? null : list(flags, "models"),
        rpm: limit("rpm"),
        tpm: limit("tpm"),
        maxConcurrent: limit("concurrency"),
        monthlyTokenQuota: limit("monthly-tokens"),
        monthlySpendQuotaUsd: limit("monthly-spend"),
        modelLimits: modelLimits(flags),
        expires: str(flags, "expires"),
      })) as { prefix: string };
      return { data: k, text: () => console.log(`Updated ${k.prefix}.`) };
    },
  },
  "keys rotate": {
    summary: "issue a new secret for a key; the old one works for a grace period (default 60 min)",
    usage: "--workspace SLUG --key PREFIX [--grace-minutes N]",
    async run(client, flags) {
      const r = (await client.call("keys.rotate", { ...workspaceOf(flags), key: need(flags, "key") }, { graceMinutes: num(flags, "grace-minutes") })) as { key: { prefix: string }; secret: string; oldKeyExpiresAt: string };
      return { data: r, text: () => console.log(`New key ${r.key.prefix}; the old secret works until ${new Date(r.oldKeyExpiresAt).toISOString()}.\nSecret (shown once): ${r.secret}`) };
    },
  },
  "providers add": {
    summary: "register an upstream provider (its API key is encrypted at rest)",
    usage: "--name N --kind mistral|openai-compatible --base-url URL [--api-key K] [--region eu]",
    async run(client, flags) {
      const p = (await client.call("providers.add", {}, { name: need(flags, "name"), kind: need(flags, "kind"), baseUrl: need(flags, "base-url"), apiKey: str(flags, "api-key"), region: str(flags, "region") })) as { name: string };
      return { data: p, text: () => console.log(`Added provider ${p.name}.`) };
    },
  },
  "providers list": { summary: "list providers", usage: "", run: listing("providers.list", ["name", "kind", "baseUrl", "region", "hasApiKey", "source"]) },
  "providers test": {
    summary: "check that a provider answers (lists its models)",
    usage: "--name N",
    async run(client, flags) {
      const r = (await client.call("providers.test", { provider: need(flags, "name") })) as { ok: boolean; latencyMs: number; models?: string[]; error?: string };
      return { data: r, text: () => console.log(r.ok ? `OK in ${r.latencyMs} ms: ${r.models?.length ?? 0} models (${r.models?.slice(0, 8).join(", ")})` : `FAILED after ${r.latencyMs} ms: ${r.error}`) };
    },
  },
  "models add": {
    summary: "add a model alias routed to a provider's model (or an auto alias over candidates)",
    usage: "--alias A (--provider P [--upstream M] | --candidates a,b) [--input-price $/M] [--output-price $/M] [--context N] [--capabilities chat,fim,embeddings,function_calling,vision]",
    async run(client, flags) {
      const m = (await client.call("models.add", {}, {
        alias: need(flags, "alias"),
        provider: str(flags, "provider"),
        upstreamModel: str(flags, "upstream"),
        inputPrice: num(flags, "input-price"),
        outputPrice: num(flags, "output-price"),
        contextLength: num(flags, "context"),
        capabilities: list(flags, "capabilities"),
        candidates: list(flags, "candidates"),
      })) as { alias: string };
      return { data: m, text: () => console.log(`Added model ${m.alias}.`) };
    },
  },
  "models scan": {
    summary: "register the GGUF files in the models dir as local models; report aliases whose file is gone",
    usage: "",
    async run(client) {
      const r = (await client.call("models.scan")) as { added: { alias: string; file: string }[]; unavailable: { alias: string; file: string }[]; skipped: { file: string; reason: string }[] };
      return {
        data: r,
        text: () => {
          for (const m of r.added) console.log(`Added ${m.alias} (${m.file}).`);
          for (const m of r.unavailable) console.log(`Unavailable: ${m.alias} (${m.file} is not in the models dir).`);
          for (const m of r.skipped) console.log(`Skipped ${m.file}: ${m.reason}.`);
          if (!r.added.length && !r.unavailable.length && !r.skipped.length) console.log("Nothing new in the models dir.");
        },
      };
    },
  },
  "models deploy": {
    summary: "add a deployment (fallback) to a model alias",
    usage: "--alias A --provider P --upstream M [--priority N]",
    async run(client, flags) {
      const m = (await client.call("models.deploy", { alias: need(flags, "alias") }, { provider: need(flags, "provider"), upstreamModel: need(flags, "upstream"), priority: num(flags, "priority") })) as { alias: string; deployments: unknown[] };
      return { data: m, text: () => console.log(`${m.alias} now has ${m.deployments.length} deployments.`) };
    },
  },
  "models list": {
    summary: "list model aliases with prices and deployments",
    usage: "",
    async run(client) {
      const data = (await client.call("models.list")) as { alias: string; inputPricePerMillion: number; outputPricePerMillion: number; deployments: { provider: string; upstreamModel: string }[] }[];
      const rows = data.map((m) => ({ ...m, deployments: m.deployments.map((d) => `${d.provider}/${d.upstreamModel}`).join(" → ") }));
      return { data, text: () => printTable(rows, ["alias", "inputPricePerMillion", "outputPricePerMillion", "contextLength", "routing", "deployments"]) };
    },
  },
  "usage list": {
    summary: "recent usage events of a workspace",
    usage: "--workspace SLUG [--limit N]",
    run: listing("usage.list", ["createdAt", "keyName", "model", "endpoint", "promptTokens", "completionTokens", "cost", "latencyMs", "status"], workspaceOf, (f) => ({ limit: str(f, "limit") })),
  },
};
