"use client";
import { submitting, useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { addProviderAction } from "./actions";

export function AddProviderForm({ workspace }: { workspace: string }) {
  const action = useFormAction(addProviderAction);
  return (
    <Card title="Add a provider" description="An upstream API and the key Bora uses to call it.">
      <form
        className="space-y-4 p-5"
        noValidate
        onSubmit={submitting((f) => {
          action.execute({
            workspace,
            name: String(f.get("provider-name") ?? ""),
            kind: f.get("provider-kind") as "mistral",
            baseUrl: String(f.get("provider-url") ?? ""),
            apiKey: String(f.get("provider-key") ?? "") || undefined,
            region: String(f.get("provider-region") ?? "") || undefined,
          });
        })}
      >
        <Field id="provider-name" label="Name" error={action.fieldError("name")}>
          <TextInput id="provider-name" placeholder="mistral" error={action.fieldError("name")} />
        </Field>
        <Field id="provider-kind" label="Kind" error={action.fieldError("kind")}>
          <Select id="provider-kind" defaultValue="mistral">
            <option value="mistral">Mistral API (La Plateforme)</option>
            <option value="openai-compatible">OpenAI-compatible (vLLM, Ollama, llama.cpp, OpenAI)</option>
          </Select>
        </Field>
        <Field id="provider-url" label="Base URL" error={action.fieldError("baseUrl")}>
          <TextInput id="provider-url" placeholder="https://api.mistral.ai" error={action.fieldError("baseUrl")} />
        </Field>
        <Field id="provider-key" label="API key (optional)" error={action.fieldError("apiKey")} hint="Encrypted with the instance secret before it is stored.">
          <TextInput id="provider-key" type="password" autoComplete="off" />
        </Field>
        <Field id="provider-region" label="Region (optional)" error={action.fieldError("region")} hint="“eu” lets EU-only workspaces use it.">
          <TextInput id="provider-region" placeholder="eu" />
        </Field>
        {action.formError ? <p role="alert" className="text-sm text-red-600">{action.formError}</p> : null}
        {action.hasSucceeded ? <p role="status" className="text-sm text-emerald-600">Added {action.result.data?.name}.</p> : null}
        <Button type="submit" className="w-full" disabled={action.isPending}>
          {action.isPending ? "Adding…" : "Add provider"}
        </Button>
      </form>
    </Card>
  );
}
