// One place that decides whether a request may start, with one ledger for every level that
// applies: the key (requests at once, requests and tokens per minute, monthly tokens and spend),
// the key on this model, the workspace on this model (and on all models), and the workspace's
// monthly spend cap. Each is reserved before the upstream call and settled to the real usage
// after it (also when a stream is cut); a refusal at any level gives back what the others took.
// Refusals are 429 with Retry-After and name the limit; answers carry x-ratelimit-* headers.
import type { ServerResponse } from "node:http";
import type Redis from "ioredis";
import type { Db } from "@/lib/db/client";
import { getSecret } from "@/lib/auth/secret";
import { BoraError, isBoraError } from "@/lib/errors";
import { log } from "@/lib/log";
import { observeRefusal } from "@/lib/metrics/registry";
import type { KeyPrincipal } from "../keys";
import { announceBudget } from "./budget-alerts";
import { Concurrency } from "./concurrency";
import { MinuteLimits } from "./minute-limits";
import { monthOf, msToNextMonth, reserveQuota, settleQuota } from "./monthly-quota";
import { Reservation } from "./reservation";
import { budgetUsage, reserveBudget, settleBudget } from "./spend-budget";
import { limitsAnything, WorkspaceLimits, type WorkspaceLimitSet } from "./workspace-limits";

export type Lease = { settle: (tokens: number, costNanos: number) => void };
const noLease: Lease = { settle: () => {} };

export type LimitRequest = {
  key: KeyPrincipal;
  model: string;
  lane?: "interactive" | "batch";
  /** Tokens the request may use at most (prompt plus allowed completion), counted lazily. */
  estimate: () => number;
  /** The cost of `estimate()` tokens, in billionths of a dollar, counted lazily. */
  estimateCost: () => number;
};

const seconds = (ms: number) => `${Math.max(0, ms / 1000).toFixed(1).replace(/\.0$/, "")}s`;
const usd = (nanos: number) => `$${(nanos / 1e9).toFixed(nanos < 1e9 ? 4 : 2)}`;

const current = Symbol.for("bora.limits");

/** The limits of this process's gateway (last started), for the console; null before it starts. */
export function currentLimits(): Limits | null {
  return (globalThis as { [current]?: Limits })[current] ?? null;
}

export class Limits {
  readonly minute: MinuteLimits;
  readonly concurrency: Concurrency;
  readonly workspaces: WorkspaceLimits;

  constructor(
    private readonly db: Db,
    redis: Redis | null,
  ) {
    this.minute = new MinuteLimits(redis);
    this.concurrency = new Concurrency(redis);
    this.workspaces = new WorkspaceLimits(db);
    // The console's limit explainer reads the counters of the process's gateway.
    (globalThis as { [current]?: Limits })[current] = this;
  }

  /**
   * `lane` batch: batch lines use only the first 80% of each per-minute limit, so interactive
   * requests on the same key always find the rest free; a refused line is retried later.
   */
  async acquire(req: LimitRequest, res: ServerResponse): Promise<Lease> {
    try {
      return await this.reserve(req, res);
    } catch (err) {
      if (isBoraError(err) && err.code.startsWith("rate_limit:")) observeRefusal(err.code);
      throw err;
    }
  }

  private async reserve(req: LimitRequest, res: ServerResponse): Promise<Lease> {
    const { key, model } = req;
    const perModel = key.modelLimits?.[model];
    const keyLimited = Boolean(key.id && (key.rpm || key.tpm || key.monthlyTokenQuota || key.monthlySpendQuotaNanos || perModel || key.maxConcurrent));
    let ws: WorkspaceLimitSet | null;
    try {
      ws = await this.workspaces.get(key.workspaceId);
    } catch (err) {
      log.error("workspace limits could not be read", { err, workspaceId: key.workspaceId });
      throw new BoraError("unavailable:limits", "Limits cannot be checked right now; try again shortly.", { retryAfterSeconds: 1 });
    }
    const wsLimited = limitsAnything(ws);
    if (!keyLimited && !wsLimited) return noLease;

    // Counted per lineage: a rotated key and its replacement share one budget.
    const keyId = key.limitId ?? key.id ?? "";
    const timeZone = ws?.timeZone ?? key.timeZone ?? "UTC";
    const tokenLimited = Boolean(key.tpm || key.monthlyTokenQuota || perModel?.tpm || (ws && (ws.models[model]?.tpm || ws.models["*"]?.tpm)));
    const tokens = tokenLimited || key.monthlySpendQuotaNanos || ws?.spendCapNanos ? req.estimate() : 0;
    const cost = key.monthlySpendQuotaNanos || ws?.spendCapNanos ? req.estimateCost() : 0;
    const held = new Reservation(this.minute, req.lane, tokens, keyId);

    try {
      if (key.id && key.maxConcurrent) {
        const limit = held.share(key.maxConcurrent);
        const slot = await this.concurrency.take(keyId, limit);
        if (!slot) throw new BoraError("rate_limit:concurrency", `This key allows ${limit} request${limit === 1 ? "" : "s"} at once${req.lane === "batch" ? " for batches" : ""}; wait for one to finish.`, { retryAfterSeconds: 1 });
        const release = () => this.concurrency.release(keyId, slot);
        held.undoers.push(release);
        held.settlers.push(release);
        held.headers["x-ratelimit-limit-concurrency"] = String(limit);
      }
      if (key.id && key.rpm) {
        const w = await held.perMinute("rpm", keyId, key.rpm, "this key", null, "req-minute");
        Object.assign(held.headers, { "x-ratelimit-limit-requests": String(w.limit), "x-ratelimit-remaining-requests": String(w.remaining), "x-ratelimit-reset-requests": seconds(w.resetMs) });
      }
      if (key.id && key.tpm) {
        const w = await held.perMinute("tpm", keyId, key.tpm, "this key", null, "tokens-minute");
        Object.assign(held.headers, { "x-ratelimit-limit-tokens": String(w.limit), "x-ratelimit-remaining-tokens": String(w.remaining), "x-ratelimit-reset-tokens": seconds(w.resetMs) });
      }
      // The key's limits for this model (e.g. 5 RPM on the large one), counted apart.
      if (key.id && perModel?.rpm) await held.perMinute("rpm", `${keyId}:${model}`, perModel.rpm, "this key", model, "req-minute-model");
      if (key.id && perModel?.tpm) await held.perMinute("tpm", `${keyId}:${model}`, perModel.tpm, "this key", model, "tokens-minute-model");
      // The workspace's limits over all its keys: on this model, then on all models together.
      for (const scope of [model, "*"]) {
        const l = ws?.models[scope];
        const counter = `ws:${key.workspaceId}:${scope}`;
        const on = scope === "*" ? null : model;
        const header = scope === "*" ? "workspace" : "workspace-model";
        if (l?.rpm) await held.perMinute("rpm", counter, l.rpm, "the workspace", on, `req-minute-${header}`);
        if (l?.tpm) await held.perMinute("tpm", counter, l.tpm, "the workspace", on, `tokens-minute-${header}`);
      }
      // The month (in the workspace's zone) only for the monthly levels.
      const month = key.monthlyTokenQuota || key.monthlySpendQuotaNanos || ws?.spendCapNanos ? monthOf(new Date(), timeZone) : "";
      if (key.id && (key.monthlyTokenQuota || key.monthlySpendQuotaNanos)) {
        const caps = { tokens: key.monthlyTokenQuota ?? null, costNanos: key.monthlySpendQuotaNanos ?? null };
        const r = await reserveQuota(this.db, keyId, month, caps, tokens, cost);
        if ("refused" in r) {
          const message = r.refused === "tokens" ? `This key's monthly token quota (${caps.tokens}) is used up, or too little is left for this request (about ${tokens} tokens).` : `This key's monthly spend quota (${usd(caps.costNanos!)}) is used up, or too little is left for this request (about ${usd(cost)}).`;
          throw new BoraError(`rate_limit:monthly_${r.refused}`, message, { retryAfterSeconds: Math.ceil(msToNextMonth(new Date(), timeZone) / 1000) });
        }
        held.undoers.push(() => settleQuota(this.db, keyId, month, { tokens, cost }, { tokens: 0, cost: 0 }));
        held.settlers.push((usedTokens, usedCost) => settleQuota(this.db, keyId, month, { tokens, cost }, { tokens: usedTokens, cost: usedCost }));
        if (r.tokensLeft !== null) Object.assign(held.headers, { "x-ratelimit-limit-tokens-month": String(caps.tokens), "x-ratelimit-remaining-tokens-month": String(r.tokensLeft) });
        if (r.costLeft !== null) Object.assign(held.headers, { "x-ratelimit-limit-spend-month-usd": (caps.costNanos! / 1e9).toFixed(4), "x-ratelimit-remaining-spend-month-usd": (r.costLeft / 1e9).toFixed(4) });
      }
      if (ws?.spendCapNanos) {
        const cap = ws.spendCapNanos;
        const left = await reserveBudget(this.db, key.workspaceId, month, cap, cost);
        if (left === null) {
          const set = ws;
          void budgetUsage(this.db, key.workspaceId, month)
            .then((u) => announceBudget(this.db, key.workspaceId, month, set, u.usedNanos, getSecret(), cost))
            .catch((err) => log.error("budget notice failed", { err }));
          throw new BoraError("rate_limit:workspace_budget", `The workspace's monthly spend cap (${usd(cap)}) is reached, or too little is left for this request (about ${usd(cost)}).`, { retryAfterSeconds: Math.ceil(msToNextMonth(new Date(), timeZone) / 1000) });
        }
        const set = ws;
        held.undoers.push(() => settleBudget(this.db, key.workspaceId, month, cost, 0));
        held.settlers.push(async (_t, usedCost) => announceBudget(this.db, key.workspaceId, month, set, await settleBudget(this.db, key.workspaceId, month, cost, usedCost), getSecret()));
        Object.assign(held.headers, { "x-ratelimit-limit-workspace-spend-month-usd": (cap / 1e9).toFixed(4), "x-ratelimit-remaining-workspace-spend-month-usd": (left / 1e9).toFixed(4) });
      }
    } catch (err) {
      await held.undo();
      if (err instanceof BoraError) throw err;
      // The limit store (Redis or the database) did not answer: refuse rather than run unmetered.
      log.error("limit check failed", { err, keyId });
      throw new BoraError("unavailable:limits", "Limits cannot be checked right now; try again shortly.", { retryAfterSeconds: 1 });
    }
    held.headers["x-ratelimit-tokens-query-cost"] = String(tokens);
    for (const [name, value] of Object.entries(held.headers)) res.setHeader(name, value);
    return held;
  }
}
