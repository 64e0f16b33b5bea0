"use client";
// Requests and tokens per minute for the whole workspace, per model or over all models.
import { useState } from "react";
import { useFormAction } from "@/components/forms/use-form-action";
import { FormFooter } from "@/components/forms/form-footer";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { controlClass } from "@/components/ui/field";
import { setWorkspaceLimitsAction } from "./actions";

type Row = { model: string; rpm: string; tpm: string };

export function WorkspaceLimitsForm({ workspace, canEdit, models, initial }: { workspace: string; canEdit: boolean; models: string[]; initial: { model: string; rpm: number | null; tpm: number | null }[] }) {
  const action = useFormAction(setWorkspaceLimitsAction);
  const [rows, setRows] = useState<Row[]>(initial.map((l) => ({ model: l.model, rpm: l.rpm ? String(l.rpm) : "", tpm: l.tpm ? String(l.tpm) : "" })));
  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const num = (v: string) => (v.trim() === "" ? null : Number(v));
  return (
    <Card title="Workspace limits" description="Requests and tokens per minute over every key of the workspace together, on one model or on all models. Keys keep their own limits too; the tightest one refuses.">
      <form
        className="space-y-3 p-5"
        noValidate
        aria-label="Workspace limits"
        onSubmit={(e) => {
          e.preventDefault();
          action.execute({ workspace, limits: rows.map((r) => ({ model: r.model, rpm: num(r.rpm), tpm: num(r.tpm) })) });
        }}
      >
        {rows.length === 0 ? <p className="text-sm text-zinc-500">No workspace limits: only each key&apos;s own apply.</p> : null}
        {rows.map((r, i) => (
          <div key={i} className="flex flex-wrap items-end gap-2" data-testid="workspace-limit-row">
            <select aria-label={`Model of workspace limit ${i + 1}`} value={r.model} disabled={!canEdit} onChange={(e) => set(i, { model: e.target.value })} className={`${controlClass} !w-56`}>
              <option value="*">All models together</option>
              {models.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
            <input aria-label={`Requests per minute, workspace limit ${i + 1}`} type="number" min={1} placeholder="req/min" value={r.rpm} disabled={!canEdit} onChange={(e) => set(i, { rpm: e.target.value })} className={`${controlClass} !w-28`} />
            <input aria-label={`Tokens per minute, workspace limit ${i + 1}`} type="number" min={1} placeholder="tok/min" value={r.tpm} disabled={!canEdit} onChange={(e) => set(i, { tpm: e.target.value })} className={`${controlClass} !w-32`} />
            {canEdit ? (
              <Button variant="ghost" aria-label={`Remove workspace limit ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                ×
              </Button>
            ) : null}
          </div>
        ))}
        {action.fieldError("limits") ? (
          <p role="alert" className="text-sm text-red-600" data-testid="workspace-limits-error">
            {action.fieldError("limits")}
          </p>
        ) : null}
        {canEdit ? (
          <FormFooter error={action.formError} pending={action.isPending} saved={action.hasSucceeded} label="Save limits">
            <Button variant="secondary" onClick={() => setRows([...rows, { model: models[0] ?? "*", rpm: "", tpm: "" }])}>
              + Add a limit
            </Button>
          </FormFooter>
        ) : null}
      </form>
    </Card>
  );
}
