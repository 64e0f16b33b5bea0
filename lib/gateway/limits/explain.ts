// The limit explainer: for a key and a model, every level that would count the next request, in
// the order the gateway checks them, with what is used, what is left and when it resets, and
// which one (if any) would refuse a request of the given size. Reads the live counters.
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import type { KeyPrincipal } from "../keys";
import type { Limits } from "./index";
import { monthOf, msToNextMonth } from "./monthly-quota";
import { budgetUsage } from "./spend-budget";
import { sql } from "drizzle-orm";

export type Headroom = {
  scope: "key" | "key on model" | "workspace on model" | "workspace";
  what: string;
  unit: "requests" | "tokens" | "usd";
  max: number;
  used: number;
  remaining: number;
  /** Null for "requests at once", which frees as requests end. */
  resetsAt: Date | null;
  /** True for the first level that a request of the given size would not fit. */
  blocks: boolean;
};

export async function explainLimits(limits: Limits, db: Db, key: KeyPrincipal, model: string, need: { tokens: number; costNanos: number }, now = new Date()): Promise<Headroom[]> {
  const ws = await limits.workspaces.get(key.workspaceId);
  const keyId = key.limitId ?? key.id ?? "";
  const timeZone = ws?.timeZone ?? key.timeZone ?? "UTC";
  const month = monthOf(now, timeZone);
  const nextMonth = new Date(now.getTime() + msToNextMonth(now, timeZone));
  const out: Omit<Headroom, "blocks">[] = [];
  const minute = async (scope: Headroom["scope"], kind: "rpm" | "tpm", counter: string, max: number | null | undefined) => {
    if (!max) return;
    const { used, resetMs } = await limits.minute.peek(kind, counter);
    out.push({ scope, what: kind === "rpm" ? "Requests per minute" : "Tokens per minute", unit: kind === "rpm" ? "requests" : "tokens", max, used, remaining: Math.max(0, max - used), resetsAt: used ? new Date(now.getTime() + resetMs) : null });
  };
  if (key.maxConcurrent) {
    const used = await limits.concurrency.count(keyId);
    out.push({ scope: "key", what: "Requests at once", unit: "requests", max: key.maxConcurrent, used, remaining: Math.max(0, key.maxConcurrent - used), resetsAt: null });
  }
  await minute("key", "rpm", keyId, key.rpm);
  await minute("key", "tpm", keyId, key.tpm);
  const perModel = key.modelLimits?.[model];
  await minute("key on model", "rpm", `${keyId}:${model}`, perModel?.rpm);
  await minute("key on model", "tpm", `${keyId}:${model}`, perModel?.tpm);
  for (const scope of [model, "*"]) {
    const l = ws?.models[scope];
    const level = scope === "*" ? "workspace" : "workspace on model";
    await minute(level, "rpm", `ws:${key.workspaceId}:${scope}`, l?.rpm);
    await minute(level, "tpm", `ws:${key.workspaceId}:${scope}`, l?.tpm);
  }
  if (key.monthlyTokenQuota || key.monthlySpendQuotaNanos) {
    const row = rowsOf(await db.execute(sql`select used_tokens, reserved_tokens, used_cost_nanos, reserved_cost_nanos from key_quota_usage where api_key_id = ${keyId} and month = ${month}`))[0] ?? {};
    if (key.monthlyTokenQuota) {
      const used = Number(row.used_tokens ?? 0) + Number(row.reserved_tokens ?? 0);
      out.push({ scope: "key", what: "Tokens this month", unit: "tokens", max: key.monthlyTokenQuota, used, remaining: Math.max(0, key.monthlyTokenQuota - used), resetsAt: nextMonth });
    }
    if (key.monthlySpendQuotaNanos) {
      const used = (Number(row.used_cost_nanos ?? 0) + Number(row.reserved_cost_nanos ?? 0)) / 1e9;
      const max = key.monthlySpendQuotaNanos / 1e9;
      out.push({ scope: "key", what: "Spend this month", unit: "usd", max, used, remaining: Math.max(0, max - used), resetsAt: nextMonth });
    }
  }
  if (ws?.spendCapNanos) {
    const u = await budgetUsage(db, key.workspaceId, month);
    const used = (u.usedNanos + u.reservedNanos) / 1e9;
    const max = ws.spendCapNanos / 1e9;
    out.push({ scope: "workspace", what: "Spend this month", unit: "usd", max, used, remaining: Math.max(0, max - used), resetsAt: nextMonth });
  }
  let blocked = false;
  return out.map((h) => {
    const wanted = h.unit === "requests" ? 1 : h.unit === "tokens" ? need.tokens : need.costNanos / 1e9;
    const blocks = !blocked && h.remaining < wanted;
    blocked ||= blocks;
    return { ...h, blocks };
  });
}
