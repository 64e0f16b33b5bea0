"use client";
import { submitting, useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { addModelAction } from "./actions";

const capabilities = [
  ["chat", "Chat"],
  ["function_calling", "Tool calls"],
  ["vision", "Images"],
  ["fim", "Fill-in-the-middle"],
  ["embeddings", "Embeddings"],
] as const;

export function AddModelForm({ workspace, providers }: { workspace: string; providers: string[] }) {
  const action = useFormAction(addModelAction);
  return (
    <Card title="Add a model" description="An alias for a provider's model, with its price per million tokens.">
      <form
        className="space-y-4 p-5"
        noValidate
        onSubmit={submitting((f) => {
          const upstream = String(f.get("model-upstream") ?? "").trim();
          action.execute({
            workspace,
            alias: String(f.get("model-alias") ?? ""),
            provider: String(f.get("model-provider") ?? ""),
            upstreamModel: upstream || undefined,
            inputPrice: Number(f.get("model-in") || 0),
            outputPrice: Number(f.get("model-out") || 0),
            contextLength: Number(f.get("model-context") || 32768),
            capabilities: f.getAll("model-caps").map(String) as never,
          });
        })}
      >
        <Field id="model-alias" label="Alias" error={action.fieldError("alias")} hint="What clients send as `model`.">
          <TextInput id="model-alias" placeholder="mistral-small" error={action.fieldError("alias")} />
        </Field>
        <Field id="model-provider" label="Provider" error={action.fieldError("provider")}>
          <Select id="model-provider" disabled={providers.length === 0}>
            {providers.length === 0 ? <option>Add a provider first</option> : providers.map((p) => <option key={p}>{p}</option>)}
          </Select>
        </Field>
        <Field id="model-upstream" label="Upstream model (optional)" error={action.fieldError("upstreamModel")} hint="The provider's name for it; the alias when empty.">
          <TextInput id="model-upstream" placeholder="mistral-small-latest" />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field id="model-in" label="Input $ / M" error={action.fieldError("inputPrice")}>
            <TextInput id="model-in" type="number" step="any" min="0" defaultValue="0" />
          </Field>
          <Field id="model-out" label="Output $ / M" error={action.fieldError("outputPrice")}>
            <TextInput id="model-out" type="number" step="any" min="0" defaultValue="0" />
          </Field>
        </div>
        <Field id="model-context" label="Context length (tokens)" error={action.fieldError("contextLength")}>
          <TextInput id="model-context" type="number" min="1" defaultValue="32768" />
        </Field>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Capabilities</legend>
          {capabilities.map(([value, label]) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="model-caps" value={value} defaultChecked={value === "chat" || value === "function_calling"} />
              {label}
            </label>
          ))}
        </fieldset>
        {action.formError ? <p role="alert" className="text-sm text-red-600">{action.formError}</p> : null}
        {action.hasSucceeded ? <p role="status" className="text-sm text-emerald-600">Added {action.result.data?.alias}.</p> : null}
        <Button type="submit" className="w-full" disabled={action.isPending || providers.length === 0}>
          {action.isPending ? "Adding…" : "Add model"}
        </Button>
      </form>
    </Card>
  );
}
