// The fields an audited change touched, before → after; the whole record opens in place.
const show = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

export function ChangeDiff({ before, after }: { before: unknown; after: unknown }) {
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => show(b[k]) !== show(a[k]));
  if (!fields.length) return <span className="text-zinc-500">—</span>;
  return (
    <details>
      <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">{fields.slice(0, 4).join(", ") + (fields.length > 4 ? "…" : "")}</summary>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
        {fields.map((k) => (
          <div key={k} className="contents">
            <dt className="font-mono text-zinc-500">{k}</dt>
            <dd className="break-all font-mono">
              {k in b ? <span className="text-red-700 line-through dark:text-red-400">{show(b[k])}</span> : null}
              {k in b && k in a ? " → " : null}
              {k in a ? <span className="text-emerald-700 dark:text-emerald-400">{show(a[k])}</span> : null}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
