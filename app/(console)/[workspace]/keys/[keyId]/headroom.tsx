// Small pieces of the limit explainer: labels, amounts and a bar of what is used.
import type { Headroom } from "@/lib/gateway/limits/explain";

export function levelLabel(scope: Headroom["scope"], model: string): string {
  return { key: "Key", "key on model": `Key on ${model}`, "workspace on model": `Workspace on ${model}`, workspace: "Workspace (all models)" }[scope];
}

export function amount(n: number, unit: Headroom["unit"]): string {
  if (unit === "usd") return `$${n.toFixed(n < 1 ? 4 : 2)}`;
  return `${Math.round(n).toLocaleString("en-US")} ${unit}`;
}

export function resetLabel(at: Date): string {
  const s = Math.max(0, Math.round((at.getTime() - Date.now()) / 1000));
  if (s < 120) return `resets in ${s} s`;
  return `resets ${at.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}`;
}

export function HeadroomBar({ used, max, label }: { used: number; max: number; label: string }) {
  const share = max ? Math.min(1, used / max) : 0;
  return (
    <div className="h-1.5 w-32 rounded bg-zinc-200 dark:bg-zinc-800" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
      <div className={`h-1.5 rounded ${share >= 1 ? "bg-red-500" : share > 0.75 ? "bg-amber-500" : "bg-brand-500"}`} style={{ width: `${Math.max(share * 100, 1)}%` }} />
    </div>
  );
}
