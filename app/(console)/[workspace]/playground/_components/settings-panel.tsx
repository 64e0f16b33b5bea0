"use client";
// Model and sampling parameters, with their ranges.
import { Field, Select, TextInput, controlClass } from "@/components/ui/field";
import type { Settings } from "./use-chat";

export type PlaygroundModel = { alias: string; description: string; vision: boolean; tools: boolean; contextLength: number; inputPrice: number; outputPrice: number };

type Props = { models: PlaygroundModel[]; settings: Settings; onChange: (s: Settings) => void; errors: { maxTokens?: string; seed?: string; schema?: string; tools?: string } };

export function SettingsPanel({ models, settings, onChange, errors }: Props) {
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => onChange({ ...settings, [key]: value });
  const model = models.find((m) => m.alias === settings.model);
  return (
    <aside aria-label="Settings" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <Field id="pg-model" label="Model">
        <Select id="pg-model" value={settings.model} onChange={(e) => set("model", e.target.value)}>
          {models.map((m) => (
            <option key={m.alias} value={m.alias}>
              {m.alias}
            </option>
          ))}
        </Select>
      </Field>
      {model ? (
        <p className="text-xs text-zinc-500">
          {model.contextLength.toLocaleString("en-US")} tokens of context{model.vision ? " · images" : ""}
          {model.tools ? " · tools" : ""} · ${model.inputPrice} in / ${model.outputPrice} out per M
        </p>
      ) : null}
      {model?.description ? <p className="rounded-md bg-zinc-50 p-2 text-xs text-zinc-600 dark:bg-zinc-950 dark:text-zinc-400">{model.description}</p> : null}
      <Field id="pg-system" label="System prompt">
        <textarea id="pg-system" rows={3} value={settings.system} onChange={(e) => set("system", e.target.value)} placeholder="You are a helpful assistant." className={controlClass} />
      </Field>
      <Field id="pg-temperature" label={`Temperature: ${settings.temperature.toFixed(2)}`} hint="0 is focused and repeatable, higher is more varied (0–1.5).">
        <input id="pg-temperature" type="range" min={0} max={1.5} step={0.05} value={settings.temperature} onChange={(e) => set("temperature", Number(e.target.value))} className="w-full accent-brand-600" />
      </Field>
      <Field id="pg-top-p" label={`Top P: ${settings.topP.toFixed(2)}`} hint="Sample only from the most likely tokens whose probabilities add up to this.">
        <input id="pg-top-p" type="range" min={0} max={1} step={0.05} value={settings.topP} onChange={(e) => set("topP", Number(e.target.value))} className="w-full accent-brand-600" />
      </Field>
      <Field id="pg-format" label="Response format" hint="JSON modes ask the model for JSON; each answer is then checked.">
        <Select id="pg-format" value={settings.format} onChange={(e) => set("format", e.target.value as Settings["format"])}>
          <option value="text">Text</option>
          <option value="json_object">JSON object</option>
          <option value="json_schema">JSON schema</option>
        </Select>
      </Field>
      {settings.format === "json_schema" ? (
        <Field id="pg-schema" label="JSON Schema" error={errors.schema} hint="Checked as you type.">
          <textarea id="pg-schema" rows={8} spellCheck={false} value={settings.schema} onChange={(e) => set("schema", e.target.value)} aria-invalid={errors.schema ? true : undefined} className={`${controlClass} font-mono text-xs`} />
        </Field>
      ) : null}
      <Field id="pg-tools" label="Tools (JSON)" error={errors.tools} hint={model && !model.tools ? "This model does not call tools." : "Functions the model may call; you answer its calls by hand."}>
        <textarea id="pg-tools" rows={4} spellCheck={false} value={settings.tools} onChange={(e) => set("tools", e.target.value)} placeholder='[{"type": "function", "function": {"name": …}}]' aria-invalid={errors.tools ? true : undefined} className={`${controlClass} font-mono text-xs`} />
      </Field>
      {settings.tools.trim() ? (
        <Field id="pg-tool-choice" label="Tool choice">
          <Select id="pg-tool-choice" value={settings.toolChoice} onChange={(e) => set("toolChoice", e.target.value as Settings["toolChoice"])}>
            <option value="auto">auto: the model decides</option>
            <option value="any">any: it must call a tool</option>
            <option value="none">none: no tool calls</option>
          </Select>
        </Field>
      ) : null}
      <Field id="pg-max-tokens" label="Max tokens" hint="Empty: up to the model's limit." error={errors.maxTokens}>
        <TextInput id="pg-max-tokens" type="number" min={1} value={settings.maxTokens} onChange={(e) => set("maxTokens", e.target.value)} error={errors.maxTokens} />
      </Field>
      <Field id="pg-seed" label="Random seed" hint="Same seed and settings, same answer (where the model supports it)." error={errors.seed}>
        <TextInput id="pg-seed" type="number" min={0} value={settings.seed} onChange={(e) => set("seed", e.target.value)} error={errors.seed} />
      </Field>
    </aside>
  );
}
