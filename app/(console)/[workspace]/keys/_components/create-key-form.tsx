"use client";
import { useState } from "react";
import { submitting, useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { createKeyAction } from "../actions";
import { SecretReveal } from "./secret-reveal";

export function CreateKeyForm({ workspace, models }: { workspace: string; models: string[] }) {
  const action = useFormAction(createKeyAction);
  const [restrict, setRestrict] = useState(false);
  // Per-model limits: rows of model, requests and tokens per minute.
  const [perModel, setPerModel] = useState<{ model: string; rpm: string; tpm: string }[]>([]);
  const created = action.result.data;

  return (
    <Card title="Create a key" description="Limit it to some models or give it an expiry; both can be changed later by revoking and creating another.">
      <form
        className="space-y-4 p-5"
        noValidate
        onSubmit={submitting((f) => {
          const chosen = f.getAll("key-models").map(String);
          const expires = String(f.get("key-expires") ?? "");
          const limit = (name: string) => (String(f.get(name) ?? "").trim() === "" ? null : Number(f.get(name)));
          action.execute({
            workspace,
            name: String(f.get("key-name") ?? ""),
            models: restrict ? chosen : null,
            expires: expires || undefined,
            rpm: limit("key-rpm"),
            tpm: limit("key-tpm"),
            maxConcurrent: limit("key-concurrent"),
            monthlyTokenQuota: limit("key-monthly"),
            monthlySpendQuotaUsd: limit("key-spend"),
            scopes: f.get("key-scope-usage") ? ["usage:read"] : [],
            modelLimits: perModel.map((r) => ({ model: r.model, rpm: r.rpm ? Number(r.rpm) : null, tpm: r.tpm ? Number(r.tpm) : null })),
          });
        })}
      >
        <Field id="key-name" label="Name" error={action.fieldError("name")} hint="Where it is used, e.g. “search backend (prod)”.">
          <TextInput id="key-name" error={action.fieldError("name")} />
        </Field>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Models</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={restrict} onChange={(e) => setRestrict(e.target.checked)} />
            Only some models
          </label>
          {restrict ? (
            <div className="max-h-40 space-y-1 overflow-y-auto rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
              {models.length === 0 ? <p className="text-sm text-zinc-500">No models yet.</p> : null}
              {models.map((m) => (
                <label key={m} className="flex items-center gap-2 font-mono text-xs">
                  <input type="checkbox" name="key-models" value={m} />
                  {m}
                </label>
              ))}
            </div>
          ) : (
            <p className="text-xs text-zinc-500">The key may use every model of the workspace.</p>
          )}
          {action.fieldError("models") ? (
            <p role="alert" className="text-sm text-red-600" data-testid="key-models-error">
              {action.fieldError("models")}
            </p>
          ) : null}
        </fieldset>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Admin scopes</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="key-scope-usage" data-testid="key-scope-usage" />
            <span>
              Read the workspace&apos;s usage (<span className="font-mono text-xs">GET /v1/usage</span>)
            </span>
          </label>
          {action.fieldError("scopes") ? <p role="alert" className="text-sm text-red-600">{action.fieldError("scopes")}</p> : null}
        </fieldset>
        <Field id="key-expires" label="Expires" error={action.fieldError("expires")}>
          <Select id="key-expires" defaultValue="">
            <option value="">Never</option>
            <option value="7d">In 7 days</option>
            <option value="30d">In 30 days</option>
            <option value="90d">In 90 days</option>
            <option value="365d">In a year</option>
          </Select>
        </Field>
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Limits (empty: none)</legend>
          <div className="grid grid-cols-2 gap-3">
            <Field id="key-rpm" label="Requests / min" error={action.fieldError("rpm")}>
              <TextInput id="key-rpm" type="number" min={1} error={action.fieldError("rpm")} />
            </Field>
            <Field id="key-tpm" label="Tokens / min" error={action.fieldError("tpm")}>
              <TextInput id="key-tpm" type="number" min={1} error={action.fieldError("tpm")} />
            </Field>
          </div>
          <Field id="key-concurrent" label="Requests at once" error={action.fieldError("maxConcurrent")} hint="Requests and streams in flight together.">
            <TextInput id="key-concurrent" type="number" min={1} error={action.fieldError("maxConcurrent")} />
          </Field>
          <Field id="key-monthly" label="Tokens / month" error={action.fieldError("monthlyTokenQuota")} hint="Input and output tokens together; resets at midnight on the 1st in the workspace's time zone (Settings).">
            <TextInput id="key-monthly" type="number" min={1} error={action.fieldError("monthlyTokenQuota")} />
          </Field>
          <Field id="key-spend" label="Spend / month (USD)" error={action.fieldError("monthlySpendQuotaUsd")} hint="At list prices (batch lines at their batch price); resets with the token quota.">
            <TextInput id="key-spend" type="number" min={0} step="0.01" error={action.fieldError("monthlySpendQuotaUsd")} />
          </Field>
          <div className="space-y-2">
            {perModel.map((r, i) => (
              <div key={i} className="flex items-end gap-2" data-testid="model-limit-row">
                <select aria-label={`Model of limit ${i + 1}`} value={r.model} onChange={(e) => setPerModel(perModel.map((x, j) => (j === i ? { ...x, model: e.target.value } : x)))} className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-xs dark:border-zinc-700 dark:bg-zinc-900">
                  {models.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
                <input aria-label={`Requests per minute on model ${i + 1}`} type="number" min={1} placeholder="req/min" value={r.rpm} onChange={(e) => setPerModel(perModel.map((x, j) => (j === i ? { ...x, rpm: e.target.value } : x)))} className="w-20 rounded-md border border-zinc-300 px-2 py-1.5 text-xs dark:border-zinc-700 dark:bg-zinc-900" />
                <input aria-label={`Tokens per minute on model ${i + 1}`} type="number" min={1} placeholder="tok/min" value={r.tpm} onChange={(e) => setPerModel(perModel.map((x, j) => (j === i ? { ...x, tpm: e.target.value } : x)))} className="w-20 rounded-md border border-zinc-300 px-2 py-1.5 text-xs dark:border-zinc-700 dark:bg-zinc-900" />
                <Button variant="ghost" aria-label={`Remove limit ${i + 1}`} onClick={() => setPerModel(perModel.filter((_, j) => j !== i))}>
                  ×
                </Button>
              </div>
            ))}
            {models.length ? (
              <Button variant="ghost" className="!px-0 text-xs" onClick={() => setPerModel([...perModel, { model: models[0]!, rpm: "", tpm: "" }])}>
                + Limit for one model
              </Button>
            ) : null}
            {action.fieldError("modelLimits") ? <p role="alert" className="text-sm text-red-600">{action.fieldError("modelLimits")}</p> : null}
          </div>
        </fieldset>
        {action.formError ? <p role="alert" className="text-sm text-red-600">{action.formError}</p> : null}
        <Button type="submit" className="w-full" disabled={action.isPending}>
          {action.isPending ? "Creating…" : "Create key"}
        </Button>
      </form>
      {created ? <SecretReveal secret={created.secret} /> : null}
    </Card>
  );
}
