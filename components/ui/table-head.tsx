// The header row of the console's tables: column names, right-aligned where numbers are.
export type Column = { label: string; align?: "right"; hidden?: boolean };

export function TableHead({ columns, dense = false }: { columns: Column[]; dense?: boolean }) {
  const pad = dense ? "px-5 py-2" : "px-5 py-3";
  return (
    <thead className="text-left text-xs uppercase tracking-wider text-zinc-500">
      <tr>
        {columns.map((c) => (
          <th key={c.label} scope="col" className={`${pad} font-medium ${c.align === "right" ? "text-right" : ""}`}>
            {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
