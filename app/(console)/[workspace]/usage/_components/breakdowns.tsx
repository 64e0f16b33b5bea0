// Top models and top keys of the period.
import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { Totals } from "@/lib/services/usage-dashboard";
import { int, usd } from "./format";
import { TableHead } from "@/components/ui/table-head";

type ModelRow = Totals & { model: string };
type KeyRow = Totals & { keyId: string; name: string; prefix: string | null };

function Table({ title, rows, name }: { title: string; rows: (Totals & { id: string })[]; name: (id: string) => React.ReactNode }) {
  const max = Math.max(...rows.map((r) => r.cost), 1e-12);
  return (
    <Card title={title}>
      <table className="w-full text-sm" data-testid={title.toLowerCase().replace(/\s+/g, "-")}>
        <TableHead dense columns={[{ label: "Name" }, { label: "Requests", align: "right" }, { label: "Tokens", align: "right" }, { label: "Spend", align: "right" }]} />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="px-5 py-2">
                {name(r.id)}
                <div aria-hidden className="mt-1 h-1 rounded bg-brand-500/70" style={{ width: `${Math.max(2, (r.cost / max) * 100)}%` }} />
              </td>
              <td className="px-5 py-2 text-right tabular-nums">{int(r.requests)}</td>
              <td className="px-5 py-2 text-right tabular-nums">{int(r.promptTokens + r.completionTokens)}</td>
              <td className="px-5 py-2 text-right tabular-nums">{usd(r.cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function Breakdowns({ byModel, byKey, workspace }: { byModel: ModelRow[]; byKey: KeyRow[]; workspace: string }) {
  const keyNames = new Map(byKey.map((k) => [k.keyId, k]));
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Table title="Top models" rows={byModel.map((m) => ({ ...m, id: m.model }))} name={(id) => <span className="font-mono text-xs">{id}</span>} />
      <Table
        title="Top keys"
        rows={byKey.map((k) => ({ ...k, id: k.keyId }))}
        name={(id) => {
          const k = keyNames.get(id)!;
          return k.prefix ? (
            <Link href={`/${workspace}/usage?key=${id}`} className="hover:underline">
              {k.name} <span className="font-mono text-xs text-zinc-500">bora_{k.prefix}_…</span>
            </Link>
          ) : (
            k.name
          );
        }}
      />
    </div>
  );
}
