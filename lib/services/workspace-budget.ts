// A workspace's own limits: requests and tokens per minute per model (or over all models) for
// every key together, and a monthly spend cap with alert thresholds and an optional signed
// webhook. Changes are audited with before and after (never the webhook's secret) and reach
// the gateway's cache at once in this process.
import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { workspaceBudgetUsage, workspaceModelLimits, workspaces, type WorkspaceModelLimit } from "@/db/schema";
import { open, seal } from "@/lib/crypto/secret-box";
import { BoraError } from "@/lib/errors";
import { emit } from "@/lib/events";
import { monthOf } from "@/lib/gateway/limits/monthly-quota";
import { budgetUsage } from "@/lib/gateway/limits/spend-budget";
import type { Db } from "@/lib/db/client";
import { limitInput } from "./limit-input";
import { recordAudit } from "./audit";
import { assertModelsExist } from "./api-keys";
import type { Executor, WorkspaceContext } from "./context";


export const workspaceLimitsInput = z.object({
  // "*" limits all models together.
  limits: z.array(z.object({ model: z.string().trim().min(1, "Choose a model."), rpm: limitInput("Requests per minute"), tpm: limitInput("Tokens per minute") })).max(200),
});

export const budgetInput = z.object({
  // US dollars; null removes the cap.
  monthlySpendCapUsd: z.coerce.number().positive("The cap must be more than $0.").max(1e9).nullable(),
  thresholds: z.array(z.coerce.number().int("Thresholds are whole percentages.").min(1, "Thresholds are between 1 and 99%.").max(99, "Thresholds are between 1 and 99%.")).max(5, "At most five thresholds."),
  webhookUrl: z.union([z.literal(""), z.url("Give a full http(s) URL.").refine((u) => /^https?:\/\//.test(u), "Give a full http(s) URL.")]).nullable(),
});

export type WorkspaceBudget = {
  limits: Pick<WorkspaceModelLimit, "model" | "rpm" | "tpm">[];
  monthlySpendCapUsd: number | null;
  thresholds: number[];
  webhookUrl: string | null;
  /** Only for members who may change settings: needed to check the webhook's signatures. */
  webhookSecret: string | null;
  month: string;
  spentUsd: number;
  reservedUsd: number;
  notifiedPercent: number;
};

export async function getWorkspaceBudget(db: Db, ctx: WorkspaceContext, secret: string, withSecret: boolean): Promise<WorkspaceBudget> {
  const w = ctx.workspace;
  const limits = await db.select({ model: workspaceModelLimits.model, rpm: workspaceModelLimits.rpm, tpm: workspaceModelLimits.tpm }).from(workspaceModelLimits).where(eq(workspaceModelLimits.workspaceId, w.id));
  const month = monthOf(new Date(), w.timeZone);
  const usage = await budgetUsage(db, w.id, month);
  return {
    limits: limits.sort((a, b) => (a.model === "*" ? -1 : b.model === "*" ? 1 : a.model.localeCompare(b.model))),
    monthlySpendCapUsd: w.monthlySpendCapNanos === null ? null : w.monthlySpendCapNanos / 1e9,
    thresholds: w.budgetThresholds,
    webhookUrl: w.budgetWebhookUrl,
    webhookSecret: withSecret && w.budgetWebhookSecretSealed ? open(w.budgetWebhookSecretSealed, secret) : null,
    month,
    spentUsd: usage.usedNanos / 1e9,
    reservedUsd: usage.reservedNanos / 1e9,
    notifiedPercent: usage.notifiedPercent,
  };
}

export async function setWorkspaceLimits(db: Db, ctx: WorkspaceContext, raw: z.input<typeof workspaceLimitsInput>): Promise<void> {
  const input = workspaceLimitsInput.parse(raw);
  const rows = input.limits.filter((l) => l.rpm || l.tpm);
  const seen = new Set<string>();
  for (const l of rows) {
    if (seen.has(l.model)) throw new BoraError("unprocessable:limits", `${l.model === "*" ? "All models" : l.model} is listed twice.`, { param: "limits" });
    seen.add(l.model);
  }
  await assertModelsExist(db, rows.map((l) => l.model).filter((m) => m !== "*"), "limits");
  await db.transaction(async (tx) => {
    const before = await tx.select().from(workspaceModelLimits).where(eq(workspaceModelLimits.workspaceId, ctx.workspace.id));
    await tx.delete(workspaceModelLimits).where(eq(workspaceModelLimits.workspaceId, ctx.workspace.id));
    if (rows.length) await tx.insert(workspaceModelLimits).values(rows.map((l) => ({ workspaceId: ctx.workspace.id, model: l.model, rpm: l.rpm ?? null, tpm: l.tpm ?? null })));
    const shape = (ls: { model: string; rpm?: number | null; tpm?: number | null }[]) => ls.map((l) => ({ model: l.model, rpm: l.rpm ?? null, tpm: l.tpm ?? null }));
    await recordAudit(tx, ctx, { workspaceId: ctx.workspace.id, action: "workspace.limits.update", targetType: "workspace", targetId: ctx.workspace.id, before: { limits: shape(before) }, after: { limits: shape(rows) } });
  });
  emit("workspace.limits.changed", ctx.workspace.id);
}

/** Sets the cap, thresholds and webhook; a webhook gets a signing secret the first time. */
export async function setWorkspaceBudget(db: Db, ctx: WorkspaceContext, raw: z.input<typeof budgetInput>, secret: string): Promise<void> {
  const input = budgetInput.parse(raw);
  const w = ctx.workspace;
  const url = input.webhookUrl || null;
  const sealed = url ? (w.budgetWebhookSecretSealed ?? seal(`whsec_${crypto.randomBytes(24).toString("base64url")}`, secret)) : null;
  const changes = {
    monthlySpendCapNanos: input.monthlySpendCapUsd === null ? null : Math.round(input.monthlySpendCapUsd * 1e9),
    budgetThresholds: [...new Set(input.thresholds)].sort((a, b) => a - b),
    budgetWebhookUrl: url,
    budgetWebhookSecretSealed: sealed,
  };
  await db.transaction(async (tx: Executor) => {
    await tx.update(workspaces).set(changes).where(eq(workspaces.id, w.id));
    // A new cap or new thresholds start the month's notices afresh (an old "cap reached" would lie).
    if (changes.monthlySpendCapNanos !== w.monthlySpendCapNanos || changes.budgetThresholds.join() !== w.budgetThresholds.join()) {
      await tx.update(workspaceBudgetUsage).set({ notifiedPercent: 0 }).where(and(eq(workspaceBudgetUsage.workspaceId, w.id), eq(workspaceBudgetUsage.month, monthOf(new Date(), w.timeZone))));
    }
    const shape = (c: { monthlySpendCapNanos: number | null; budgetThresholds: number[]; budgetWebhookUrl: string | null }) => ({ monthlySpendCapUsd: c.monthlySpendCapNanos === null ? null : c.monthlySpendCapNanos / 1e9, thresholds: c.budgetThresholds, webhookUrl: c.budgetWebhookUrl });
    await recordAudit(tx, ctx, { workspaceId: w.id, action: "workspace.budget.update", targetType: "workspace", targetId: w.id, before: shape(w), after: shape(changes) });
  });
  emit("workspace.limits.changed", w.id);
}
