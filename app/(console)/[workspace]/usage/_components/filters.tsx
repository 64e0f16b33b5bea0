"use client";
// Range presets and filters, kept in the URL so a view can be shared.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Select } from "@/components/ui/field";

const presets = [
  ["1h", "1 hour"],
  ["6h", "6 hours"],
  ["24h", "24 hours"],
  ["7d", "7 days"],
  ["30d", "30 days"],
  ["90d", "90 days"],
  ["this-month", "This month"],
  ["last-month", "Last month"],
] as const;

type Props = { range: string; keyId?: string; model?: string; keys: { id: string; name: string }[]; models: string[] };

export function Filters({ range, keyId, model, keys, models }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const href = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params.toString());
    next.delete("before");
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    return `${pathname}?${next.toString()}`;
  };
  const exportQuery = (kind: string) => {
    const q = new URLSearchParams(params.toString());
    q.delete("before");
    q.set("kind", kind);
    return q.toString();
  };
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <nav aria-label="Period" className="inline-flex rounded-md border border-zinc-200 bg-white p-0.5 dark:border-zinc-800 dark:bg-zinc-900">
        {presets.map(([value, label]) => (
          <Link
            key={value}
            href={href({ range: value })}
            aria-current={range === value ? "page" : undefined}
            className={`rounded px-3 py-1.5 text-sm font-medium ${range === value ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}
          >
            {label}
          </Link>
        ))}
      </nav>
      <div className="flex items-end gap-3">
        <FilterSelect id="usage-key" label="Key" all="All keys" value={keyId} options={keys.map((k) => [k.id, k.name])} onChange={(v) => router.push(href({ key: v }))} />
        <FilterSelect id="usage-model" label="Model" all="All models" value={model} options={models.map((m) => [m, m])} onChange={(v) => router.push(href({ model: v }))} />
        <div className="flex flex-col text-xs">
          <span className="mb-1 font-medium text-zinc-500">Export CSV</span>
          <div className="flex gap-2 py-2">
            <a className="font-medium text-brand-600 hover:underline" href={`${pathname}/export?${exportQuery("grouped")}`} download>
              Daily totals
            </a>
            <a className="font-medium text-brand-600 hover:underline" href={`${pathname}/export?${exportQuery("raw")}`} download>
              Requests
            </a>
          </div>
        </div>
      </div>
    </div>
  );
}

type FilterProps = { id: string; label: string; all: string; value?: string; options: [string, string][]; onChange: (value: string | undefined) => void };

function FilterSelect({ id, label, all, value, options, onChange }: FilterProps) {
  return (
    <div className="w-48">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-zinc-500">
        {label}
      </label>
      <Select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{all}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </Select>
    </div>
  );
}
