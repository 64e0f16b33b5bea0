// Telling a workspace it has reached a share of its monthly spend cap: an audit entry (which the
// console shows as a notice) and, when configured, a signed webhook. Each threshold fires once a
// month, across replicas, because claimThreshold lets one caller through.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { auditLog } from "@/db/schema";
import { open } from "@/lib/crypto/secret-box";
import { log } from "@/lib/log";
import { claimThreshold } from "./spend-budget";
import type { WorkspaceLimitSet } from "./workspace-limits";

const attempts = 4;

/** The `x-bora-signature` header: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">. */
export function signWebhook(body: string, secret: string, at = Math.floor(Date.now() / 1000)): string {
  return `t=${at},v1=${crypto.createHmac("sha256", secret).update(`${at}.${body}`).digest("hex")}`;
}

/** The highest threshold (100 for the cap itself) that `used` has reached, or 0. */
export function reachedThreshold(usedNanos: number, capNanos: number, thresholds: number[]): number {
  const percent = (usedNanos / capNanos) * 100;
  return Math.max(0, ...[...thresholds, 100].filter((t) => percent >= t));
}

/**
 * After a request settles; or when the cap refused one that costs `refusedCost`, which counts as
 * exhausted only if it could not fit even once nothing else is in flight (spend then sits just
 * under the cap, and would never reach 100% by itself).
 */
export async function announceBudget(db: Db, workspaceId: string, month: string, set: WorkspaceLimitSet, usedNanos: number, secret: string, refusedCost?: number): Promise<void> {
  if (!set.spendCapNanos) return;
  const exhausted = refusedCost !== undefined && usedNanos + refusedCost > set.spendCapNanos;
  const percent = exhausted ? 100 : reachedThreshold(usedNanos, set.spendCapNanos, set.thresholds);
  if (!percent || !(await claimThreshold(db, workspaceId, month, percent))) return;
  const event = { type: percent >= 100 ? "budget.exhausted" : "budget.threshold", workspace_id: workspaceId, month, threshold_percent: percent, spent_usd: usedNanos / 1e9, cap_usd: set.spendCapNanos / 1e9, at: new Date().toISOString() };
  await db.insert(auditLog).values({ workspaceId, actorVia: "system", action: event.type, targetType: "workspace", targetId: workspaceId, after: event });
  if (set.webhookUrl && set.webhookSecretSealed) void deliver(set.webhookUrl, JSON.stringify(event), open(set.webhookSecretSealed, secret));
}

// Retried with backoff for a minute at most: an alert that arrives late is still useful.
async function deliver(url: string, body: string, secret: string): Promise<void> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-bora-signature": signWebhook(body, secret) }, body, signal: AbortSignal.timeout(10_000) });
      if (res.ok) return;
      log.warn("budget webhook refused", { url, status: res.status, attempt });
    } catch (err) {
      log.warn("budget webhook failed", { url, err: String(err), attempt });
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, 1000 * 4 ** (attempt - 1)));
  }
}
