// Every request, newest first, a page at a time (cursor: the last id seen).
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { int, usd } from "./format";
import { TableHead } from "@/components/ui/table-head";

type Row = { id: number; requestId: string; createdAt: string; keyName: string; model: string; endpoint: string; promptTokens: number; completionTokens: number; cost: number; latencyMs: number; ttftMs: number | null; status: string; errorType: string | null };

export function RequestLog({ workspace, query, rows }: { workspace: string; query: Record<string, string | undefined>; rows: Row[] }) {
  const next = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));
  if (rows.length === 50) next.set("before", String(rows.at(-1)!.id));
  return (
    <div className="mt-6">
      <Card title="Request log" description="The latest requests that match the filters (all time).">
        {rows.length === 0 ? (
          <p className="px-5 py-6 text-sm text-zinc-500">No requests yet.</p>
        ) : (
          <table className="w-full text-sm" data-testid="request-log">
            <TableHead dense columns={[{ label: "Time" }, { label: "Key" }, { label: "Model" }, { label: "Tokens in / out", align: "right" }, { label: "Cost", align: "right" }, { label: "Latency", align: "right" }, { label: "Status" }]} />
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="whitespace-nowrap px-5 py-2 text-zinc-500">
                    <Link href={`/${workspace}/usage/requests/${encodeURIComponent(r.requestId)}`} className="hover:underline" title="Details">
                      {new Date(r.createdAt).toLocaleString()}
                    </Link>
                  </td>
                  <td className="px-5 py-2">{r.keyName}</td>
                  <td className="px-5 py-2 font-mono text-xs">
                    {r.model} <span className="text-zinc-500">{r.endpoint}</span>
                  </td>
                  <td className="px-5 py-2 text-right tabular-nums">
                    {int(r.promptTokens)} / {int(r.completionTokens)}
                  </td>
                  <td className="px-5 py-2 text-right tabular-nums">{usd(r.cost)}</td>
                  <td className="px-5 py-2 text-right tabular-nums">
                    {int(r.latencyMs)} ms{r.ttftMs !== null ? <span className="block text-xs text-zinc-500">first token {int(r.ttftMs)} ms</span> : null}
                  </td>
                  <td className="px-5 py-2">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${r.status === "ok" ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300"}`}>{r.status}</span>
                    {r.errorType ? <span className="block text-xs text-zinc-500">{r.errorType}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {rows.length === 50 ? (
          <div className="border-t border-zinc-200 px-5 py-3 text-right dark:border-zinc-800">
            <Link href={`/${workspace}/usage?${next.toString()}`} className="text-sm font-medium text-brand-600 hover:underline">
              Older requests →
            </Link>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
