"use client";
// Rotating a key: a new secret now, and a grace period of the caller's choosing during which the
// old secret keeps working, so clients can switch without downtime.
import { submitting } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";

const graces = [
  [0, "None: the old secret stops now"],
  [15, "15 minutes"],
  [60, "1 hour"],
  [24 * 60, "1 day"],
  [7 * 24 * 60, "7 days"],
  [30 * 24 * 60, "30 days"],
] as const;

export function RotateKeyForm({ name, pending, onRotate, onCancel }: { name: string; pending: boolean; onRotate: (graceMinutes: number) => void; onCancel: () => void }) {
  return (
    <form noValidate aria-label={`Rotate ${name}`} className="flex flex-wrap items-end gap-3 bg-zinc-50 p-4 dark:bg-zinc-950/40" onSubmit={submitting((f) => onRotate(Number(f.get("rotate-grace"))))}>
      <div className="w-64">
        <Field id="rotate-grace" label="Old secret keeps working for" hint="Limits and quotas are shared by both secrets meanwhile.">
          <Select id="rotate-grace" defaultValue="60">
            {graces.map(([minutes, label]) => (
              <option key={minutes} value={minutes}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Rotating…" : "Rotate now"}
      </Button>
      <Button variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
    </form>
  );
}
