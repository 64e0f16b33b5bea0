// Requests in flight per key. In process memory for one instance; in Redis with REDIS_URL, as a
// sorted set of request ids scored by an expiry (one atomic script takes a slot), so N replicas
// share one limit and a slot held by a process that died frees itself after `slotTtlMs`.
import crypto from "node:crypto";
import type Redis from "ioredis";

// Longer than any request or stream should last; a slot is released long before in practice.
const slotTtlMs = 15 * 60_000;

const takeScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

export class Concurrency {
  private readonly local = new Map<string, Set<string>>();

  constructor(private readonly redis: Redis | null) {}

  /** A slot's id when one is free under `limit`, else undefined. */
  async take(keyId: string, limit: number): Promise<string | undefined> {
    const slot = crypto.randomUUID();
    if (this.redis) {
      const now = Date.now();
      const ok = await this.redis.eval(takeScript, 1, `bora:conc:${keyId}`, String(now), String(limit), String(now + slotTtlMs), slot, String(slotTtlMs));
      return ok === 1 ? slot : undefined;
    }
    const held = this.local.get(keyId) ?? new Set<string>();
    if (held.size >= limit) return undefined;
    held.add(slot);
    this.local.set(keyId, held);
    return slot;
  }

  async release(keyId: string, slot: string): Promise<void> {
    if (this.redis) {
      await this.redis.zrem(`bora:conc:${keyId}`, slot);
      return;
    }
    const held = this.local.get(keyId);
    held?.delete(slot);
    if (held?.size === 0) this.local.delete(keyId);
  }

  /** Slots held now (for the limit explainer). */
  async count(keyId: string): Promise<number> {
    if (this.redis) {
      await this.redis.zremrangebyscore(`bora:conc:${keyId}`, "-inf", String(Date.now()));
      return this.redis.zcard(`bora:conc:${keyId}`);
    }
    return this.local.get(keyId)?.size ?? 0;
  }
}
