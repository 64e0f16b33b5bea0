"use client";
// The workspace's monthly spend cap, its alert thresholds and the webhook they call.
import { submitting, useFormAction } from "@/components/forms/use-form-action";
import { FormFooter } from "@/components/forms/form-footer";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, TextInput } from "@/components/ui/field";
import { setWorkspaceBudgetAction } from "./actions";

type Budget = { monthlySpendCapUsd: number | null; thresholds: number[]; webhookUrl: string | null; webhookSecret: string | null; month: string; spentUsd: number; reservedUsd: number };

const dollars = (usd: number) => `$${usd.toFixed(usd < 1 ? 4 : 2)}`;

export function BudgetForm({ workspace, canEdit, budget }: { workspace: string; canEdit: boolean; budget: Budget }) {
  const action = useFormAction(setWorkspaceBudgetAction);
  const share = budget.monthlySpendCapUsd ? Math.min(1, budget.spentUsd / budget.monthlySpendCapUsd) : null;
  return (
    <Card title="Monthly budget" description="A spend cap over every key, the playground and batches. Requests that would pass it get 429 until the month ends; thresholds raise a notice here and call the webhook once a month each.">
      <div className="border-b border-zinc-200 px-5 py-4 text-sm dark:border-zinc-800" data-testid="budget-spent">
        Spent in {budget.month}: <strong>{dollars(budget.spentUsd)}</strong>
        {budget.monthlySpendCapUsd ? ` of ${dollars(budget.monthlySpendCapUsd)}` : " (no cap)"}
        {budget.reservedUsd > 0 ? <span className="text-zinc-500"> · {dollars(budget.reservedUsd)} held by requests in flight</span> : null}
        {share !== null ? (
          <div className="mt-2 h-2 max-w-md rounded bg-zinc-200 dark:bg-zinc-800" role="meter" aria-label="Monthly budget used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
            <div className={`h-2 rounded ${share >= 1 ? "bg-red-500" : share > 0.8 ? "bg-amber-500" : "bg-brand-500"}`} style={{ width: `${Math.max(share * 100, 1)}%` }} />
          </div>
        ) : null}
      </div>
      <form
        className="grid max-w-xl gap-4 p-5"
        noValidate
        aria-label="Monthly budget"
        onSubmit={submitting((f) => {
          const cap = String(f.get("budget-cap") ?? "").trim();
          const thresholds = String(f.get("budget-thresholds") ?? "")
            .split(",")
            .map((t) => t.trim().replace(/%$/, ""))
            .filter(Boolean)
            .map(Number);
          action.execute({ workspace, monthlySpendCapUsd: cap === "" ? null : Number(cap), thresholds, webhookUrl: String(f.get("budget-webhook") ?? "").trim() || null });
        })}
      >
        <Field id="budget-cap" label="Spend cap per month (USD)" error={action.fieldError("monthlySpendCapUsd")} hint="Empty: no cap. At list prices; batch lines at their batch price.">
          <TextInput id="budget-cap" type="number" min={0} step="0.01" defaultValue={budget.monthlySpendCapUsd ?? ""} disabled={!canEdit} error={action.fieldError("monthlySpendCapUsd")} />
        </Field>
        <Field id="budget-thresholds" label="Alert thresholds (%)" error={action.fieldError("thresholds")} hint="Comma-separated, e.g. 80, 95. Reaching the cap always alerts.">
          <TextInput id="budget-thresholds" defaultValue={budget.thresholds.join(", ")} disabled={!canEdit} error={action.fieldError("thresholds")} />
        </Field>
        <Field id="budget-webhook" label="Webhook URL" error={action.fieldError("webhookUrl")} hint="Optional. Receives a JSON POST signed in the x-bora-signature header: t=<unix time>,v1=<HMAC-SHA256 of “t.body” with the secret below>.">
          <TextInput id="budget-webhook" type="url" placeholder="https://hooks.example.com/bora" defaultValue={budget.webhookUrl ?? ""} disabled={!canEdit} error={action.fieldError("webhookUrl")} />
        </Field>
        {budget.webhookSecret ? (
          <div className="space-y-1.5">
            <div className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Signing secret</div>
            <div className="flex items-center gap-2">
              <code className="min-w-0 flex-1 truncate rounded bg-zinc-100 px-2 py-1.5 text-xs dark:bg-zinc-800" data-testid="webhook-secret">
                {budget.webhookSecret}
              </code>
              <CopyButton value={budget.webhookSecret} label="Copy the signing secret" />
            </div>
          </div>
        ) : null}
        {canEdit ? <FormFooter error={action.formError} pending={action.isPending} saved={action.hasSucceeded} label="Save budget" /> : null}
      </form>
    </Card>
  );
}
