"use client";
// Presets: the workspace's saved settings. Apply one, or save the current settings under a name
// (a name already taken is overwritten, and the button says so), or delete the chosen one.
import { BookmarkPlus, Check, Trash2 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { useFormAction } from "@/components/forms/use-form-action";
import type { Settings } from "@/lib/playground/settings";
import { deletePresetAction, savePresetAction } from "../actions";

export type PresetView = { id: string; name: string; settings: Settings };

type Props = { workspace: string; presets: PresetView[]; settings: Settings; onApply: (s: Settings) => void };

export function PresetsPanel({ workspace, presets, settings, onApply }: Props) {
  const [chosen, setChosen] = useState(presets[0]?.id ?? "");
  const [name, setName] = useState("");
  const [applied, setApplied] = useState<string>();
  const save = useFormAction(savePresetAction, { onSuccess: ({ data }) => data && setChosen(data.id) });
  const remove = useFormAction(deletePresetAction, { onSuccess: () => setChosen("") });
  const preset = presets.find((p) => p.id === chosen) ?? presets[0];
  const taken = presets.some((p) => p.name === name.trim());

  function apply() {
    if (!preset) return;
    onApply(preset.settings);
    setApplied(preset.name);
  }

  return (
    <section aria-label="Presets" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-xs dark:border-zinc-800 dark:bg-zinc-900" data-testid="presets-panel">
      {presets.length ? (
        <Field id="pg-preset" label="Preset" error={remove.formError}>
          <div className="flex gap-2">
            <Select id="pg-preset" value={preset?.id} onChange={(e) => setChosen(e.target.value)}>
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
            <Button variant="secondary" onClick={apply} aria-label={`Apply preset ${preset?.name ?? ""}`}>
              Apply
            </Button>
            <ConfirmButton variant="ghost" label={`Delete preset ${preset?.name ?? ""}`} question={`Delete the preset "${preset?.name}" for everyone in this workspace?`} disabled={remove.isPending} onConfirm={() => preset && remove.execute({ workspace, id: preset.id })}>
              <Trash2 aria-hidden className="h-4 w-4" />
            </ConfirmButton>
          </div>
        </Field>
      ) : (
        <p className="text-xs text-zinc-500">No presets yet. Save these settings to reuse them, and to share them with the workspace.</p>
      )}
      {applied ? (
        <p role="status" className="text-xs text-emerald-600">
          Applied {applied}.
        </p>
      ) : null}
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.execute({ workspace, name, settings, overwrite: taken });
        }}
      >
        <Field id="pg-preset-name" label="Save settings as" error={save.fieldError("name") ?? save.formError}>
          <div className="flex gap-2">
            <TextInput id="pg-preset-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Preset name" error={save.fieldError("name")} />
            <Button type="submit" variant="secondary" disabled={!name.trim() || save.isPending}>
              {save.hasSucceeded && !save.isPending && save.result.data?.name === name.trim() ? <Check aria-hidden className="h-4 w-4" /> : <BookmarkPlus aria-hidden className="h-4 w-4" />}
              {taken ? "Overwrite" : "Save"}
            </Button>
          </div>
        </Field>
      </form>
    </section>
  );
}
