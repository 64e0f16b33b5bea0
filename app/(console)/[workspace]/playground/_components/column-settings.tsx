"use client";
// One compare column's own settings: the same model can run in two columns with a different
// temperature or system prompt. Response format and tools stay those of the chat.
import { Field, Select, TextInput, controlClass } from "@/components/ui/field";
import type { Settings } from "@/lib/playground/settings";
import type { PresetView } from "./presets-panel";

export function maxTokensProblem(s: Settings): string | undefined {
  return s.maxTokens !== "" && !(Number.isInteger(Number(s.maxTokens)) && Number(s.maxTokens) >= 1) ? "At least 1, or empty for the model's limit." : undefined;
}

/** One line saying how a column differs, shown whether its settings are open or not. */
export function settingsSummary(s: Settings): string {
  const system = s.system.trim() ? `“${s.system.trim().length > 40 ? `${s.system.trim().slice(0, 39)}…` : s.system.trim()}”` : "no system prompt";
  return `Temperature ${s.temperature.toFixed(2)} · Top P ${s.topP.toFixed(2)}${s.maxTokens ? ` · max ${s.maxTokens} tokens` : ""} · ${system}`;
}

type Props = { prefix: string; settings: Settings; presets: PresetView[]; onChange: (s: Settings) => void; onPreset: (s: Settings) => void };

export function ColumnSettings({ prefix, settings, presets, onChange, onPreset }: Props) {
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => onChange({ ...settings, [key]: value });
  const error = maxTokensProblem(settings);
  return (
    <div id={`${prefix}-settings`} className="space-y-3 border-b border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-950/40" data-testid="column-settings">
      {presets.length ? (
        <Field id={`${prefix}-preset`} label="Preset">
          <Select
            id={`${prefix}-preset`}
            value=""
            onChange={(e) => {
              const p = presets.find((x) => x.id === e.target.value);
              if (p) onPreset(p.settings);
            }}
          >
            <option value="">Apply a preset…</option>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      <Field id={`${prefix}-system`} label="System prompt">
        <textarea id={`${prefix}-system`} rows={2} value={settings.system} onChange={(e) => set("system", e.target.value)} placeholder="You are a helpful assistant." className={controlClass} />
      </Field>
      <Field id={`${prefix}-temperature`} label={`Temperature: ${settings.temperature.toFixed(2)}`}>
        <input id={`${prefix}-temperature`} type="range" min={0} max={1.5} step={0.05} value={settings.temperature} onChange={(e) => set("temperature", Number(e.target.value))} className="w-full accent-brand-600" />
      </Field>
      <Field id={`${prefix}-top-p`} label={`Top P: ${settings.topP.toFixed(2)}`}>
        <input id={`${prefix}-top-p`} type="range" min={0} max={1} step={0.05} value={settings.topP} onChange={(e) => set("topP", Number(e.target.value))} className="w-full accent-brand-600" />
      </Field>
      <Field id={`${prefix}-max-tokens`} label="Max tokens" error={error}>
        <TextInput id={`${prefix}-max-tokens`} type="number" min={1} value={settings.maxTokens} onChange={(e) => set("maxTokens", e.target.value)} error={error} />
      </Field>
    </div>
  );
}
