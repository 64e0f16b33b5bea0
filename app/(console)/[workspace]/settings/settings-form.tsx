"use client";
import { submitting, useFormAction } from "@/components/forms/use-form-action";
import { FormFooter } from "@/components/forms/form-footer";
import { Card } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { updateWorkspaceAction } from "./actions";

type Values = { name: string; residencyPolicy: "any" | "eu-only"; timeZone: string; requestLogDays: number | null; usageRawRetentionDays: number; batchMode: "bora" | "upstream" };

export function SettingsForm({ workspace, canEdit, initial }: { workspace: string; canEdit: boolean; initial: Values }) {
  const action = useFormAction(updateWorkspaceAction);
  return (
    <Card title="General">
      <form
        className="grid max-w-xl gap-4 p-5"
        noValidate
        onSubmit={submitting((f) => {
          const days = String(f.get("ws-logs") ?? "");
          action.execute({ workspace, name: String(f.get("ws-name")), residencyPolicy: f.get("ws-residency") as Values["residencyPolicy"], timeZone: String(f.get("ws-tz")), requestLogDays: days ? Number(days) : null, usageRawRetentionDays: Number(f.get("ws-usage-retention")) || undefined, batchMode: f.get("ws-batch") as Values["batchMode"] });
        })}
      >
        <Field id="ws-name" label="Name" error={action.fieldError("name")}>
          <TextInput id="ws-name" defaultValue={initial.name} disabled={!canEdit} error={action.fieldError("name")} />
        </Field>
        <Field id="ws-residency" label="Data residency" error={action.fieldError("residencyPolicy")} hint="EU only: requests are never routed to a deployment outside the EU.">
          <Select id="ws-residency" defaultValue={initial.residencyPolicy} disabled={!canEdit}>
            <option value="any">Any region</option>
            <option value="eu-only">EU only</option>
          </Select>
        </Field>
        <Field id="ws-tz" label="Time zone" error={action.fieldError("timeZone")} hint="Monthly quotas and budgets reset at midnight on the 1st in this zone (IANA name, e.g. Europe/Paris).">
          <TextInput id="ws-tz" defaultValue={initial.timeZone} disabled={!canEdit} error={action.fieldError("timeZone")} />
        </Field>
        <Field id="ws-logs" label="Request logging" error={action.fieldError("requestLogDays")} hint="Keep the bodies of requests and answers, to inspect them from the usage page's request log. Off by default: prompts often hold personal data.">
          <Select id="ws-logs" defaultValue={initial.requestLogDays ? String(initial.requestLogDays) : ""} disabled={!canEdit}>
            <option value="">Off: bodies are never stored</option>
            <option value="1">Keep for 1 day</option>
            <option value="7">Keep for 7 days</option>
            <option value="30">Keep for 30 days</option>
            <option value="90">Keep for 90 days</option>
          </Select>
        </Field>
        <Field id="ws-usage-retention" label="Keep each request's usage record" error={action.fieldError("usageRawRetentionDays")} hint="Older records leave the request log and raw exports; charts, totals and the usage API keep every period (from per-hour and per-day sums).">
          <Select id="ws-usage-retention" defaultValue={String(initial.usageRawRetentionDays)} disabled={!canEdit}>
            {[...new Set([7, 30, 90, 180, 365, initial.usageRawRetentionDays])]
              .sort((a, b) => a - b)
              .map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
          </Select>
        </Field>
        <Field id="ws-batch" label="Batches on La Plateforme models" error={action.fieldError("batchMode")} hint="Forwarded: a batch whose model runs on La Plateforme is sent there whole, at its batch price, and mirrored here. Here: Bora runs each line itself, within the key's limits.">
          <Select id="ws-batch" defaultValue={initial.batchMode} disabled={!canEdit}>
            <option value="bora">Run here, line by line</option>
            <option value="upstream">Forward to La Plateforme&apos;s batch API</option>
          </Select>
        </Field>
        {canEdit ? (
          <FormFooter error={action.formError} pending={action.isPending} saved={action.hasSucceeded} />
        ) : (
          <p className="text-sm text-zinc-500">Only owners and admins can change these settings.</p>
        )}
      </form>
    </Card>
  );
}
