"use client";
// Edits a key's name and limits in place; the secret does not change.
import { submitting, useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { updateKeyAction } from "../actions";

type Editable = { id: string; name: string; rpm: number | null; tpm: number | null; maxConcurrent: number | null; monthlyTokenQuota: number | null; monthlySpendQuotaNanos: number | null };

export function EditKeyForm({ workspace, k, onDone }: { workspace: string; k: Editable; onDone: () => void }) {
  const action = useFormAction(updateKeyAction, { onSuccess: onDone });
  const limit = (v: FormDataEntryValue | null) => (String(v ?? "").trim() === "" ? null : Number(v));
  return (
    <form
      noValidate
      className="grid gap-3 bg-zinc-50 p-4 sm:grid-cols-7 dark:bg-zinc-950/40"
      aria-label={`Edit ${k.name}`}
      onSubmit={submitting((f) =>
        action.execute({ workspace, key: k.id, name: String(f.get("edit-name") ?? ""), rpm: limit(f.get("edit-rpm")), tpm: limit(f.get("edit-tpm")), maxConcurrent: limit(f.get("edit-concurrent")), monthlyTokenQuota: limit(f.get("edit-monthly")), monthlySpendQuotaUsd: limit(f.get("edit-spend")) }),
      )}
    >
      <Field id="edit-name" label="Name" error={action.fieldError("name")}>
        <TextInput id="edit-name" defaultValue={k.name} error={action.fieldError("name")} />
      </Field>
      <Field id="edit-rpm" label="Requests / min" error={action.fieldError("rpm")}>
        <TextInput id="edit-rpm" type="number" min={1} defaultValue={k.rpm ?? ""} error={action.fieldError("rpm")} />
      </Field>
      <Field id="edit-tpm" label="Tokens / min" error={action.fieldError("tpm")}>
        <TextInput id="edit-tpm" type="number" min={1} defaultValue={k.tpm ?? ""} error={action.fieldError("tpm")} />
      </Field>
      <Field id="edit-concurrent" label="At once" error={action.fieldError("maxConcurrent")}>
        <TextInput id="edit-concurrent" type="number" min={1} defaultValue={k.maxConcurrent ?? ""} error={action.fieldError("maxConcurrent")} />
      </Field>
      <Field id="edit-monthly" label="Tokens / month" error={action.fieldError("monthlyTokenQuota")}>
        <TextInput id="edit-monthly" type="number" min={1} defaultValue={k.monthlyTokenQuota ?? ""} error={action.fieldError("monthlyTokenQuota")} />
      </Field>
      <Field id="edit-spend" label="USD / month" error={action.fieldError("monthlySpendQuotaUsd")}>
        <TextInput id="edit-spend" type="number" min={0} step="0.01" defaultValue={k.monthlySpendQuotaNanos ? k.monthlySpendQuotaNanos / 1e9 : ""} error={action.fieldError("monthlySpendQuotaUsd")} />
      </Field>
      <div className="flex items-end gap-2">
        <Button type="submit" disabled={action.isPending}>
          {action.isPending ? "Saving…" : "Save"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {action.formError ? <p role="alert" className="text-sm text-red-600 sm:col-span-6">{action.formError}</p> : null}
    </form>
  );
}
