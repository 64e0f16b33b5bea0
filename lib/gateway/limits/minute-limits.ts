// Requests and tokens per minute per key, with rate-limiter-flexible: in process memory for a
// single instance, in Redis (atomic scripts) when REDIS_URL is set, so N replicas enforce one
// limit and not N. One counter per key and kind, whatever the key's limit: the increment
// returns the new total atomically and the total is compared with the key's current limit, so
// editing a limit does not reset its window.
import type Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";

export type Window = { limit: number; remaining: number; resetMs: number };

// The counters never refuse on their own: the limit is applied to the totals they return.
const unbounded = Number.MAX_SAFE_INTEGER;

export class MinuteLimits {
  private readonly limiters: Record<"rpm" | "tpm", RateLimiterAbstract>;

  constructor(redis: Redis | null) {
    const make = (kind: string) => {
      const opts = { points: unbounded, duration: 60, keyPrefix: `bora:${kind}` };
      return redis ? new RateLimiterRedis({ ...opts, storeClient: redis }) : new RateLimiterMemory(opts);
    };
    this.limiters = { rpm: make("rpm"), tpm: make("tpm") };
  }

  /** Takes `points`; resolves with the window after it, or rejects with the window that refused. */
  async take(kind: "rpm" | "tpm", keyId: string, limit: number, points: number): Promise<Window> {
    const res = await this.limiters[kind].consume(keyId, points);
    if (res.consumedPoints > limit) {
      // Refused points are given back, so refusals eat no capacity.
      await this.limiters[kind].reward(keyId, points).catch(() => {});
      throw Object.assign(new Error("limited"), { window: { limit, remaining: 0, resetMs: res.msBeforeNext } as Window });
    }
    return { limit, remaining: limit - res.consumedPoints, resetMs: res.msBeforeNext };
  }

  /** Gives back (or charges more than) what was taken, once the real count is known. */
  async adjust(kind: "rpm" | "tpm", keyId: string, delta: number): Promise<void> {
    if (delta === 0) return;
    if (delta > 0) await this.limiters[kind].penalty(keyId, delta);
    else await this.limiters[kind].reward(keyId, -delta);
  }

  /** What the current window has counted and when it ends, without taking anything. */
  async peek(kind: "rpm" | "tpm", keyId: string): Promise<{ used: number; resetMs: number }> {
    const res = await this.limiters[kind].get(keyId);
    return res ? { used: res.consumedPoints, resetMs: res.msBeforeNext } : { used: 0, resetMs: 0 };
  }
}
