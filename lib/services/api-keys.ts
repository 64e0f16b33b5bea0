// API keys for /v1: created in a workspace by members who may manage keys, shown once, stored
// as prefix + SHA-256, with their limits and monthly quotas; every change is audited.
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { apiKeyModelLimits, apiKeys, models, type ApiKey } from "@/db/schema";
import { issuePrefixedToken } from "@/lib/auth/tokens";
import { BoraError } from "@/lib/errors";
import { emit } from "@/lib/events";
import { recordAudit } from "./audit";
import { limitInput } from "./limit-input";
import type { Executor, WorkspaceContext } from "./context";

export const apiKeyKind = "bora";

/** "30d", "12h" or an ISO date → a future date. */
export function parseExpiry(value: string, now = Date.now()): Date {
  const rel = /^(\d+)([hd])$/.exec(value.trim());
  const date = rel ? new Date(now + Number(rel[1]) * (rel[2] === "d" ? 86_400_000 : 3_600_000)) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new BoraError("unprocessable:expires", 'Give a date (2027-01-31) or a duration such as "30d" or "12h".', { param: "expires" });
  if (date.getTime() <= now) throw new BoraError("unprocessable:expires", "The expiry must be in the future.", { param: "expires" });
  return date;
}


// Admin scopes a key may carry beyond calling models.
export const keyScopes = ["usage:read"] as const;
export type KeyScope = (typeof keyScopes)[number];

const modelLimit = z.object({ model: z.string().trim().min(1), rpm: limitInput("Requests per minute"), tpm: limitInput("Tokens per minute") });

export const createKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(80),
  // Limits for particular models, on top of the key's own.
  modelLimits: z.array(modelLimit).max(100).optional(),
  models: z.array(z.string().trim().min(1)).max(200).nullable().optional(),
  expires: z.string().trim().optional(),
  rpm: limitInput("Requests per minute"),
  tpm: limitInput("Tokens per minute"),
  maxConcurrent: limitInput("Concurrent requests"),
  // A bigint column: a trillion tokens is far past any real quota.
  monthlyTokenQuota: limitInput("The monthly token quota", 1e12),
  // US dollars per month (stored in billionths, like usage costs).
  monthlySpendQuotaUsd: z.coerce.number().positive("The spend quota must be more than $0.").max(1e9).nullable().optional(),
  // "usage:read": the key may read its workspace's usage through GET /v1/usage.
  scopes: z.array(z.enum(keyScopes, { error: `Scopes are: ${keyScopes.join(", ")}.` })).max(keyScopes.length).optional(),
});

const nanos = (usd: number | null | undefined) => (usd === undefined ? undefined : usd === null ? null : Math.round(usd * 1e9));

export type PublicKey = Pick<ApiKey, "id" | "name" | "prefix" | "allowedModels" | "expiresAt" | "revokedAt" | "lastUsedAt" | "createdAt" | "rpm" | "tpm" | "maxConcurrent" | "monthlyTokenQuota" | "monthlySpendQuotaNanos" | "replacedById" | "scopes">;

function publicKey(k: ApiKey): PublicKey {
  const { id, name, prefix, allowedModels, expiresAt, revokedAt, lastUsedAt, createdAt, rpm, tpm, maxConcurrent, monthlyTokenQuota, monthlySpendQuotaNanos, replacedById, scopes } = k;
  return { id, name, prefix, allowedModels, expiresAt, revokedAt, lastUsedAt, createdAt, rpm, tpm, maxConcurrent, monthlyTokenQuota, monthlySpendQuotaNanos, replacedById, scopes };
}

export async function assertModelsExist(db: Executor, aliases: string[], param: string) {
  if (!aliases.length) return;
  const known = await db.select({ alias: models.alias }).from(models).where(inArray(models.alias, aliases));
  const missing = aliases.filter((m) => !known.some((k) => k.alias === m));
  if (missing.length) throw new BoraError("not_found:model", `Unknown model${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`, { param });
}

type ModelLimits = z.infer<typeof modelLimit>[];

async function writeModelLimits(tx: Executor, keyId: string, limits: ModelLimits) {
  await tx.delete(apiKeyModelLimits).where(eq(apiKeyModelLimits.apiKeyId, keyId));
  const rows = limits.filter((l) => l.rpm || l.tpm).map((l) => ({ apiKeyId: keyId, model: l.model, rpm: l.rpm ?? null, tpm: l.tpm ?? null }));
  if (rows.length) await tx.insert(apiKeyModelLimits).values(rows);
}

export async function modelLimitsOf(db: Executor, keyIds: string[]): Promise<Map<string, ModelLimits>> {
  const out = new Map<string, ModelLimits>();
  if (!keyIds.length) return out;
  for (const r of await db.select().from(apiKeyModelLimits).where(inArray(apiKeyModelLimits.apiKeyId, keyIds))) {
    out.set(r.apiKeyId, [...(out.get(r.apiKeyId) ?? []), { model: r.model, rpm: r.rpm, tpm: r.tpm }]);
  }
  return out;
}

export async function createKey(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof createKeyInput>): Promise<{ key: PublicKey; secret: string }> {
  const input = createKeyInput.parse(raw);
  const expiresAt = input.expires ? parseExpiry(input.expires) : null;
  const allowed = input.models?.length ? [...new Set(input.models)] : null;
  await assertModelsExist(db, allowed ?? [], "models");
  await assertModelsExist(db, (input.modelLimits ?? []).map((l) => l.model), "modelLimits");
  const issued = issuePrefixedToken(apiKeyKind);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ workspaceId: ctx.workspace.id, name: input.name, prefix: issued.prefix, hashedSecret: issued.hashedSecret, allowedModels: allowed, expiresAt, createdBy: ctx.user.id, rpm: input.rpm ?? null, tpm: input.tpm ?? null, maxConcurrent: input.maxConcurrent ?? null, monthlyTokenQuota: input.monthlyTokenQuota ?? null, monthlySpendQuotaNanos: nanos(input.monthlySpendQuotaUsd) ?? null, scopes: [...new Set(input.scopes ?? [])] })
      .returning();
    await writeModelLimits(tx, row!.id, input.modelLimits ?? []);
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "api_key.create", targetType: "api_key", targetId: row!.id, after: { name: row!.name, prefix: row!.prefix, allowedModels: allowed, expiresAt, rpm: row!.rpm, tpm: row!.tpm, maxConcurrent: row!.maxConcurrent, monthlyTokenQuota: row!.monthlyTokenQuota, monthlySpendQuotaNanos: row!.monthlySpendQuotaNanos, scopes: row!.scopes, modelLimits: input.modelLimits ?? [] } });
    return { key: publicKey(row!), secret: issued.token };
  });
}

export async function listKeys(db: Executor, ctx: WorkspaceContext): Promise<PublicKey[]> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.workspaceId, ctx.workspace.id)).orderBy(desc(apiKeys.createdAt));
  return rows.map(publicKey);
}

export const updateKeyInput = createKeyInput.partial().extend({ key: z.string().trim().min(1) });

/** Changes a key's name, models, limits or expiry in place; the secret stays the same. */
export async function updateKey(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof updateKeyInput>): Promise<PublicKey> {
  const { key: ref, expires, models: modelList, modelLimits: newModelLimits, monthlySpendQuotaUsd, ...rest } = updateKeyInput.parse(raw);
  await assertModelsExist(db, (newModelLimits ?? []).map((l) => l.model), "modelLimits");
  const byId = /^[0-9a-f]{8}-/.test(ref);
  const changes: Partial<typeof apiKeys.$inferInsert> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) (changes as Record<string, unknown>)[k] = v;
  if (monthlySpendQuotaUsd !== undefined) changes.monthlySpendQuotaNanos = nanos(monthlySpendQuotaUsd);
  if (expires !== undefined) changes.expiresAt = expires === "" ? null : parseExpiry(expires);
  if (modelList !== undefined) {
    const allowed = modelList?.length ? [...new Set(modelList)] : null;
    await assertModelsExist(db, allowed ?? [], "models");
    changes.allowedModels = allowed;
  }
  const result = await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.workspaceId, ctx.workspace.id), byId ? eq(apiKeys.id, ref) : eq(apiKeys.prefix, ref), isNull(apiKeys.revokedAt)))
      .for("update")
      .limit(1);
    if (!before) throw new BoraError("not_found:api_key", "No active key with this id or prefix in the workspace.", { param: "key" });
    const [after] = Object.keys(changes).length ? await tx.update(apiKeys).set(changes).where(eq(apiKeys.id, before.id)).returning() : [before];
    if (newModelLimits) await writeModelLimits(tx, before.id, newModelLimits);
    const diff = (k: ApiKey) => ({ name: k.name, allowedModels: k.allowedModels, expiresAt: k.expiresAt, rpm: k.rpm, tpm: k.tpm, maxConcurrent: k.maxConcurrent, monthlyTokenQuota: k.monthlyTokenQuota, monthlySpendQuotaNanos: k.monthlySpendQuotaNanos, scopes: k.scopes });
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "api_key.update", targetType: "api_key", targetId: before.id, before: diff(before), after: { ...diff(after!), ...(newModelLimits ? { modelLimits: newModelLimits } : {}) } });
    return after!;
  });
  emit("key.changed", result.prefix);
  return publicKey(result);
}

export const rotateKeyInput = z.object({
  key: z.string().trim().min(1),
  // How long the old secret keeps working, so clients can switch without downtime.
  graceMinutes: z.coerce.number().int().min(0).max(60 * 24 * 30, "At most 30 days.").default(60),
});

/**
 * Issues a new secret for a key: same name, models and limits, one shared budget with the old
 * key (its lineage); the old secret keeps working for the grace period, then gets 401.
 */
export async function rotateKey(db: Executor, ctx: WorkspaceContext, raw: z.input<typeof rotateKeyInput>): Promise<{ key: PublicKey; secret: string; oldKeyExpiresAt: Date }> {
  const input = rotateKeyInput.parse(raw);
  const byId = /^[0-9a-f]{8}-/.test(input.key);
  const issued = issuePrefixedToken(apiKeyKind);
  const result = await db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.workspaceId, ctx.workspace.id), byId ? eq(apiKeys.id, input.key) : eq(apiKeys.prefix, input.key), isNull(apiKeys.revokedAt), isNull(apiKeys.replacedById)))
      .for("update")
      .limit(1);
    if (!old) throw new BoraError("not_found:api_key", "No active key with this id or prefix in the workspace (a rotated key cannot be rotated again).", { param: "key" });
    const graceEnd = new Date(Date.now() + input.graceMinutes * 60_000);
    const oldKeyExpiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    const [fresh] = await tx
      .insert(apiKeys)
      .values({ workspaceId: old.workspaceId, name: old.name, prefix: issued.prefix, hashedSecret: issued.hashedSecret, allowedModels: old.allowedModels, expiresAt: old.expiresAt, rpm: old.rpm, tpm: old.tpm, maxConcurrent: old.maxConcurrent, monthlyTokenQuota: old.monthlyTokenQuota, monthlySpendQuotaNanos: old.monthlySpendQuotaNanos, scopes: old.scopes, lineageId: old.lineageId ?? old.id, createdBy: ctx.user.id })
      .returning();
    await tx.update(apiKeys).set({ expiresAt: oldKeyExpiresAt, replacedById: fresh!.id }).where(eq(apiKeys.id, old.id));
    await writeModelLimits(tx, fresh!.id, (await modelLimitsOf(tx, [old.id])).get(old.id) ?? []);
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "api_key.rotate", targetType: "api_key", targetId: old.id, before: { prefix: old.prefix }, after: { prefix: fresh!.prefix, oldKeyExpiresAt } });
    return { key: publicKey(fresh!), secret: issued.token, oldKeyExpiresAt, oldPrefix: old.prefix };
  });
  emit("key.changed", result.oldPrefix);
  return { key: result.key, secret: result.secret, oldKeyExpiresAt: result.oldKeyExpiresAt };
}

/** Revokes by id or by prefix; the gateway's key cache lets it work for at most a few more seconds. */
export async function revokeKey(db: Executor, ctx: WorkspaceContext, idOrPrefix: string): Promise<PublicKey> {
  const byId = /^[0-9a-f]{8}-/.test(idOrPrefix);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.workspaceId, ctx.workspace.id), byId ? eq(apiKeys.id, idOrPrefix) : eq(apiKeys.prefix, idOrPrefix), isNull(apiKeys.revokedAt)))
      .returning();
    if (!row) throw new BoraError("not_found:api_key", "No active key with this id or prefix in the workspace.", { param: "key" });
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "api_key.revoke", targetType: "api_key", targetId: row.id, before: { prefix: row.prefix } });
    return publicKey(row);
  }).then((key) => {
    emit("key.changed", key.prefix);
    return key;
  });
}
