// Resolving `Authorization: Bearer <key>` to a key and its workspace. A short-lived cache keeps
// the database off the per-request path; its age limit bounds how long a revoked key keeps
// working on a replica that missed the notice.
import crypto from "node:crypto";
import { eq, type SQL } from "drizzle-orm";
import { apiKeyModelLimits, apiKeys, workspaces } from "@/db/schema";
import { parsePrefixedToken, sameHash, sha256 } from "@/lib/auth/tokens";
import type { Db } from "@/lib/db/client";
import { BoraError } from "@/lib/errors";
import { on } from "@/lib/events";
import { apiKeyKind } from "@/lib/services/api-keys";
import { RefreshingCache } from "./refreshing-cache";

export type KeyPrincipal = {
  /** Null for the console's playground, which acts for a signed-in member, not a key. */
  id: string | null;
  /** The key's public prefix (absent for the playground and console batches). */
  prefix?: string;
  /** What limits and quotas are counted under: the first key of its rotation chain. */
  limitId?: string | null;
  replaced?: boolean;
  name: string;
  workspaceId: string;
  allowedModels: string[] | null;
  residencyPolicy: string;
  hashedSecret: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** The workspace's IANA time zone: monthly quotas reset on the 1st there. */
  timeZone?: string;
  /** Days to keep request and response bodies; null: never stored. */
  requestLogDays?: number | null;
  rpm?: number | null;
  tpm?: number | null;
  /** Requests in flight at once (streams until they end). */
  maxConcurrent?: number | null;
  /** Per-model limits, by model alias. */
  modelLimits?: Record<string, { rpm: number | null; tpm: number | null }>;
  monthlyTokenQuota?: number | null;
  /** Billionths of a dollar per month. */
  monthlySpendQuotaNanos?: number | null;
  /** Admin scopes, e.g. "usage:read" for GET /v1/usage. */
  scopes?: string[];
};

type CacheEntry = { principal: KeyPrincipal | null; verified?: Buffer };

/** The longest a cached key is used: how long a key revoked on another replica may still work. */
export const keyCacheTtlMs = 2_000;
const lastUsedEveryMs = 60_000;

export class KeyResolver {
  private readonly byPrefix = new RefreshingCache<CacheEntry>(async (prefix) => ({ principal: await this.load(eq(apiKeys.prefix, prefix)) }), keyCacheTtlMs);
  private readonly byId = new RefreshingCache<CacheEntry>(async (id) => {
    const principal = await this.load(eq(apiKeys.id, id));
    if (principal?.prefix) this.idByPrefix.set(principal.prefix, id);
    return { principal };
  }, keyCacheTtlMs);
  private readonly lastUsedWritten = new Map<string, number>();
  // Notices name a key by prefix; batch lines look keys up by id: this joins the two.
  private readonly idByPrefix = new Map<string, string>();

  constructor(private readonly db: Db) {
    on("key.changed", (prefix) => {
      this.byPrefix.delete(prefix);
      const id = this.idByPrefix.get(prefix);
      if (id) this.byId.delete(id);
    });
  }

  async resolve(authorization: string | undefined): Promise<KeyPrincipal> {
    const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : "";
    if (!token) throw new BoraError("unauthorized:api_key", "No API key: send it as `Authorization: Bearer <key>`.");
    const prefix = parsePrefixedToken(apiKeyKind, token);
    if (!prefix) throw new BoraError("unauthorized:api_key", "Invalid API key.");
    // A cached entry is used without an await: most requests find their key here.
    const cached = this.byPrefix.get(prefix);
    const entry = cached instanceof Promise ? await cached : cached;
    const principal = entry.principal;
    if (!principal || !this.verify(entry, token)) throw new BoraError("unauthorized:api_key", "Invalid API key.");
    if (principal.revokedAt) throw new BoraError("unauthorized:api_key", "This API key has been revoked.");
    if (principal.expiresAt && principal.expiresAt.getTime() <= Date.now()) {
      throw new BoraError("unauthorized:api_key", principal.replaced ? "This API key was rotated and its grace period is over: use the new key." : "This API key has expired.");
    }
    this.touch(principal.id!);
    return principal;
  }

  // Hashing every request's token costs more CPU than the rest of auth: a cache entry remembers
  // the token it last verified and compares against that in constant time instead.
  private verify(entry: CacheEntry, token: string): boolean {
    const given = Buffer.from(token);
    if (entry.verified && entry.verified.length === given.length && crypto.timingSafeEqual(entry.verified, given)) return true;
    if (!sameHash(entry.principal!.hashedSecret, sha256(token))) return false;
    entry.verified = given;
    return true;
  }

  /**
   * The key a batch job runs under, by id (the worker holds no secret): the same checks as a
   * request with the key would get, so a key revoked mid-batch stops its remaining lines.
   */
  async resolveById(id: string): Promise<KeyPrincipal> {
    const principal = (await this.byId.get(id)).principal;
    if (!principal) throw new BoraError("unauthorized:api_key", "The batch's API key no longer exists.");
    if (principal.revokedAt) throw new BoraError("unauthorized:api_key", "This API key has been revoked.");
    if (principal.expiresAt && principal.expiresAt.getTime() <= Date.now()) throw new BoraError("unauthorized:api_key", "This API key has expired.");
    return principal;
  }

  private load(where: SQL): Promise<KeyPrincipal | null> {
    return loadPrincipal(this.db, where);
  }

  // last_used_at is informational: written at most once a minute per key, never awaited.
  private touch(id: string) {
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(id) ?? 0) < lastUsedEveryMs) return;
    this.lastUsedWritten.set(id, now);
    this.db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, id))
      .catch(() => this.lastUsedWritten.delete(id));
  }
}

/** A key with its workspace settings and per-model limits, as the gateway checks it. */
export async function loadPrincipal(db: Db, where: SQL): Promise<KeyPrincipal | null> {
  const [row] = await db
    .select({ key: apiKeys, residencyPolicy: workspaces.residencyPolicy, requestLogDays: workspaces.requestLogDays, timeZone: workspaces.timeZone })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(where)
    .limit(1);
  if (!row) return null;
  const modelRows = await db.select().from(apiKeyModelLimits).where(eq(apiKeyModelLimits.apiKeyId, row.key.id));
  return { id: row.key.id, prefix: row.key.prefix, name: row.key.name, workspaceId: row.key.workspaceId, allowedModels: row.key.allowedModels, residencyPolicy: row.residencyPolicy, hashedSecret: row.key.hashedSecret, expiresAt: row.key.expiresAt, revokedAt: row.key.revokedAt, rpm: row.key.rpm, tpm: row.key.tpm, maxConcurrent: row.key.maxConcurrent, monthlyTokenQuota: row.key.monthlyTokenQuota, monthlySpendQuotaNanos: row.key.monthlySpendQuotaNanos, scopes: row.key.scopes, requestLogDays: row.requestLogDays, timeZone: row.timeZone, limitId: row.key.lineageId ?? row.key.id, replaced: Boolean(row.key.replacedById), modelLimits: Object.fromEntries(modelRows.map((m) => [m.model, { rpm: m.rpm, tpm: m.tpm }])) };
}
