// One place that decides whether a key's request may start: requests per minute, tokens per
// minute and the monthly token quota, each reserved before the upstream call and settled to
// the real usage after it (also when a stream is cut). Refusals are 429 with Retry-After and
// name the limit; every answer carries Mistral's and OpenAI's x-ratelimit-* headers.
import type { ServerResponse } from "node:http";
import type Redis from "ioredis";
import type { Db } from "@/lib/db/client";
import { BoraError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { KeyPrincipal } from "../keys";
import { Concurrency } from "./concurrency";
import { MinuteLimits, type Window } from "./minute-limits";
import { monthOf, msToNextMonth, reserveQuota, settleQuota } from "./monthly-quota";

export type Lease = { settle: (tokens: number) => void };
const noLease: Lease = { settle: () => {} };
const batchShare = 0.8;

const seconds = (ms: number) => `${Math.max(0, ms / 1000).toFixed(1).replace(/\.0$/, "")}s`;


export class Limits {
  private readonly minute: MinuteLimits;
  private readonly concurrency: Concurrency;

  constructor(
    private readonly db: Db,
    redis: Redis | null,
  ) {
    this.minute = new MinuteLimits(redis);
    this.concurrency = new Concurrency(redis);
  }

  /**
   * `lane` batch: batch lines use only the first 80% of each per-minute limit, so interactive
   * requests on the same key always find the rest free; a refused line is retried later.
   */
  async acquire(key: KeyPrincipal, estimate: () => number, res: ServerResponse, model: string, lane: "interactive" | "batch" = "interactive"): Promise<Lease> {
    const perModel = key.modelLimits?.[model];
    if (!key.id || (!key.rpm && !key.tpm && !key.monthlyTokenQuota && !perModel && !key.maxConcurrent)) return noLease;
    // Counted per lineage: a rotated key and its replacement share one budget.
    const keyId = key.limitId ?? key.id;
    const modelCounter = `${keyId}:${model}`;
    const undo: (() => Promise<void>)[] = [];
    const headers: Record<string, string> = {};
    const tokens = key.tpm || key.monthlyTokenQuota || perModel?.tpm ? estimate() : 0;
    const month = monthOf(new Date(), key.timeZone ?? "UTC");
    const share = (limit: number) => (lane === "batch" ? Math.max(1, Math.floor(limit * batchShare)) : limit);
    let slot: string | undefined;
    try {
      if (key.maxConcurrent) {
        const limit = share(key.maxConcurrent);
        slot = await this.concurrency.take(keyId, limit);
        if (!slot) throw new BoraError("rate_limit:concurrency", `This key allows ${limit} request${limit === 1 ? "" : "s"} at once${lane === "batch" ? " for batches" : ""}; wait for one to finish.`, { retryAfterSeconds: 1 });
        const taken = slot;
        undo.push(() => this.concurrency.release(keyId, taken));
        headers["x-ratelimit-limit-concurrency"] = String(limit);
      }
      if (key.rpm) {
        const w = await this.window("rpm", keyId, share(key.rpm), 1, "requests per minute");
        undo.push(() => this.minute.adjust("rpm", keyId, -1));
        Object.assign(headers, { "x-ratelimit-limit-req-minute": String(w.limit), "x-ratelimit-remaining-req-minute": String(w.remaining), "x-ratelimit-limit-requests": String(w.limit), "x-ratelimit-remaining-requests": String(w.remaining), "x-ratelimit-reset-requests": seconds(w.resetMs) });
      }
      if (key.tpm) {
        const w = await this.window("tpm", keyId, share(key.tpm), tokens, "tokens per minute");
        undo.push(() => this.minute.adjust("tpm", keyId, -tokens));
        Object.assign(headers, { "x-ratelimit-limit-tokens-minute": String(w.limit), "x-ratelimit-remaining-tokens-minute": String(w.remaining), "x-ratelimit-limit-tokens": String(w.limit), "x-ratelimit-remaining-tokens": String(w.remaining), "x-ratelimit-reset-tokens": seconds(w.resetMs) });
      }
      // Then the key's limits for this model (e.g. 5 RPM on the large one), counted apart.
      if (perModel?.rpm) {
        const w = await this.window("rpm", modelCounter, share(perModel.rpm), 1, `requests per minute on ${model}`);
        undo.push(() => this.minute.adjust("rpm", modelCounter, -1));
        Object.assign(headers, { "x-ratelimit-limit-req-minute-model": String(w.limit), "x-ratelimit-remaining-req-minute-model": String(w.remaining) });
      }
      if (perModel?.tpm) {
        const w = await this.window("tpm", modelCounter, share(perModel.tpm), tokens, `tokens per minute on ${model}`);
        undo.push(() => this.minute.adjust("tpm", modelCounter, -tokens));
        Object.assign(headers, { "x-ratelimit-limit-tokens-minute-model": String(w.limit), "x-ratelimit-remaining-tokens-minute-model": String(w.remaining) });
      }
      if (key.monthlyTokenQuota) {
        const left = await reserveQuota(this.db, keyId, month, key.monthlyTokenQuota, tokens);
        if (left === null) {
          throw new BoraError("rate_limit:monthly_tokens", `This key's monthly token quota (${key.monthlyTokenQuota}) is used up, or too little is left for this request (about ${tokens} tokens).`, { retryAfterSeconds: Math.ceil(msToNextMonth(new Date(), key.timeZone ?? "UTC") / 1000) });
        }
        Object.assign(headers, { "x-ratelimit-limit-tokens-month": String(key.monthlyTokenQuota), "x-ratelimit-remaining-tokens-month": String(left) });
      }
    } catch (err) {
      await Promise.all(undo.map((u) => u().catch(() => {})));
      if (err instanceof BoraError) throw err;
      // The limit store (Redis or the database) did not answer: refuse rather than run unmetered.
      log.error("limit check failed", { err, keyId });
      throw new BoraError("unavailable:limits", "Limits cannot be checked right now; try again shortly.", { retryAfterSeconds: 1 });
    }
    headers["x-ratelimit-tokens-query-cost"] = String(tokens);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    let settled = false;
    return {
      settle: (used) => {
        if (settled) return;
        settled = true;
        const work: Promise<void>[] = [];
        if (key.tpm) work.push(this.minute.adjust("tpm", keyId, used - tokens));
        if (perModel?.tpm) work.push(this.minute.adjust("tpm", modelCounter, used - tokens));
        if (key.monthlyTokenQuota) work.push(settleQuota(this.db, keyId, month, tokens, used));
        if (slot) work.push(this.concurrency.release(keyId, slot));
        Promise.all(work).catch((err) => log.error("settling limits failed", { err, keyId }));
      },
    };
  }

  private async window(kind: "rpm" | "tpm", keyId: string, limit: number, points: number, what: string): Promise<Window> {
    if (points > limit) throw new BoraError(`rate_limit:${kind === "rpm" ? "requests" : "tokens"}_per_minute`, `This request (about ${points} tokens) is larger than the key's limit of ${limit} ${what}.`, { param: "max_tokens" });
    try {
      return await this.minute.take(kind, keyId, limit, points);
    } catch (err) {
      const w = (err as { window?: Window }).window;
      if (!w) throw err;
      throw new BoraError(`rate_limit:${kind === "rpm" ? "requests" : "tokens"}_per_minute`, `Rate limit reached: this key allows ${limit} ${what}. Retry after ${Math.ceil(w.resetMs / 1000)} s.`, { retryAfterSeconds: Math.max(1, Math.ceil(w.resetMs / 1000)) });
    }
  }
}
