// Requests and tokens per minute per key, with rate-limiter-flexible: in process memory for a
// single instance, in Redis (atomic scripts) when REDIS_URL is set, so N replicas enforce one
// limit and not N. Tokens are reserved before the call (an estimate) and settled after it.
import type Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export type Window = { limit: number; remaining: number; resetMs: number };

export class MinuteLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly redis: Redis | null) {}

  // One limiter per kind and size: rate-limiter-flexible fixes the points at construction.
  private limiter(kind: "rpm" | "tpm", points: number): RateLimiterAbstract {
    const id = `${kind}:${points}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const opts = { points, duration: 60, keyPrefix: `bora:${id}` };
      limiter = this.redis ? new RateLimiterRedis({ ...opts, storeClient: this.redis }) : new RateLimiterMemory(opts);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** Takes `points`; resolves with the window after it, or rejects with the window that refused. */
  async take(kind: "rpm" | "tpm", keyId: string, limit: number, points: number): Promise<Window> {
    try {
      const res = await this.limiter(kind, limit).consume(keyId, points);
      return { limit, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
    } catch (err) {
      if (err instanceof RateLimiterRes) throw Object.assign(new Error("limited"), { window: { limit, remaining: 0, resetMs: err.msBeforeNext } as Window });
      throw err;
    }
  }

  /** Gives back (or charges more than) what was taken, once the real count is known. */
  async adjust(kind: "rpm" | "tpm", keyId: string, limit: number, delta: number): Promise<void> {
    if (delta === 0) return;
    const limiter = this.limiter(kind, limit);
    if (delta > 0) await limiter.penalty(keyId, delta);
    else await limiter.reward(keyId, -delta);
  }
}
