// One request's reservation against its limits (lib/gateway/limits/index.ts decides which
// levels apply): the per-minute counters it took, the rarer levels' undo and settle steps, and
// the x-ratelimit-* headers they produced.
import { BoraError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Lease, LimitRequest } from "./index";
import type { MinuteLimits, Window } from "./minute-limits";

// Batch lines use only this share of each per-minute limit, so interactive requests on the same
// key always find the rest free.
const batchShare = 0.8;

type Settler = (tokens: number, cost: number) => Promise<unknown>;

/**
 * What one request took from its limits: given back if a later level refuses it, settled to
 * its real usage when it ends. A class, not closures made per request: the per-minute levels
 * are the common case, and tsx (keepNames) renames every named closure with a defineProperty
 * call; as closures they cost a limited request 6–8% more main-thread CPU (paired runs).
 */
export class Reservation implements Lease {
  readonly headers: Record<string, string> = {};
  // The rarer levels (requests at once, monthly quota and spend) bring their own closures.
  readonly undoers: (() => Promise<unknown>)[] = [];
  readonly settlers: Settler[] = [];
  // Per-minute counters taken: [kind, counter, points].
  private readonly taken: ["rpm" | "tpm", string, number][] = [];
  private settled = false;

  constructor(
    private readonly minute: MinuteLimits,
    private readonly lane: LimitRequest["lane"],
    private readonly tokens: number,
    private readonly keyId: string,
  ) {}

  /** Batch lines use only the first 80% of a limit. */
  share(limit: number): number {
    return this.lane === "batch" ? Math.max(1, Math.floor(limit * batchShare)) : limit;
  }

  /** Takes from a per-minute counter, or refuses naming the limit. */
  async perMinute(kind: "rpm" | "tpm", counter: string, limit: number, who: "this key" | "the workspace", on: string | null, header: string): Promise<Window> {
    const points = kind === "rpm" ? 1 : this.tokens;
    const max = this.share(limit);
    if (points > max) throw new BoraError(minuteCode(kind), `This request (about ${points} tokens) is larger than ${who}'s limit of ${max} ${minuteWhat(kind, on)}.`, { param: "max_tokens" });
    let w: Window;
    try {
      w = await this.minute.take(kind, counter, max, points);
    } catch (err) {
      const refused = (err as { window?: Window }).window;
      if (!refused) throw err;
      throw new BoraError(minuteCode(kind), `Rate limit reached: ${who} allows ${max} ${minuteWhat(kind, on)}. Retry after ${Math.ceil(refused.resetMs / 1000)} s.`, { retryAfterSeconds: Math.max(1, Math.ceil(refused.resetMs / 1000)) });
    }
    this.taken.push([kind, counter, points]);
    this.headers[`x-ratelimit-limit-${header}`] = String(w.limit);
    this.headers[`x-ratelimit-remaining-${header}`] = String(w.remaining);
    return w;
  }

  /** Gives back everything taken so far (a later level refused). */
  async undo(): Promise<void> {
    const minutes = this.taken.map(([kind, counter, points]) => this.minute.adjust(kind, counter, -points));
    await Promise.all([...minutes, ...this.undoers.map((u) => u())].map((p) => p.catch(() => {})));
  }

  settle(usedTokens: number, usedCost: number): void {
    if (this.settled) return;
    this.settled = true;
    const settling: Promise<unknown>[] = [];
    // Token counters move by what the estimate missed; request counters stay as taken.
    for (const [kind, counter] of this.taken) if (kind === "tpm") settling.push(this.minute.adjust("tpm", counter, usedTokens - this.tokens));
    for (const s of this.settlers) settling.push(s(usedTokens, usedCost));
    Promise.all(settling).catch((err) => log.error("settling limits failed", { err, keyId: this.keyId }));
  }
}

function minuteCode(kind: "rpm" | "tpm") {
  return `rate_limit:${kind === "rpm" ? "requests" : "tokens"}_per_minute` as const;
}

function minuteWhat(kind: "rpm" | "tpm", on: string | null) {
  return `${kind === "rpm" ? "requests" : "tokens"} per minute${on ? ` on ${on}` : ""}`;
}
