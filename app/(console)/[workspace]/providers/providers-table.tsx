"use client";
import { useState } from "react";
import { useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { checkProviderAction } from "./actions";
import { TableHead } from "@/components/ui/table-head";

type Row = { name: string; kind: string; baseUrl: string | null; region: string | null; hasApiKey: boolean; source: string };
type Check = { ok: boolean; latencyMs: number; models?: string[]; error?: string };

export function ProvidersTable({ workspace, providers, canTest }: { workspace: string; providers: Row[]; canTest: boolean }) {
  const [checks, setChecks] = useState<Record<string, Check>>({});
  const check = useFormAction(checkProviderAction, { onSuccess: ({ data, input }) => setChecks((c) => ({ ...c, [input.name]: data })) });
  return (
    <Card>
      <table className="w-full text-sm" data-testid="providers-table">
        <TableHead columns={[{ label: "Provider" }, { label: "Kind" }, { label: "Region" }, { label: "Key" }, { label: "Check", hidden: true }]} />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {providers.map((p) => {
            const result = checks[p.name];
            return (
              <tr key={p.name} data-testid={`provider-${p.name}`}>
                <td className="px-5 py-3">
                  <div className="font-medium">{p.name}</div>
                  {p.baseUrl ? <div className="font-mono text-xs text-zinc-500">{p.baseUrl}</div> : null}
                  {p.source === "env" ? <div className="text-xs text-zinc-500">from the environment</div> : null}
                </td>
                <td className="px-5 py-3">{p.kind}</td>
                <td className="px-5 py-3">{p.region ?? "—"}</td>
                <td className="px-5 py-3">{p.hasApiKey ? "encrypted" : "none"}</td>
                <td className="px-5 py-3 text-right">
                  {canTest ? (
                    <div className="flex flex-col items-end gap-1">
                      <Button variant="secondary" disabled={check.isPending} onClick={() => check.execute({ workspace, name: p.name })}>
                        Test
                      </Button>
                      {result ? (
                        <span role="status" className={`text-xs ${result.ok ? "text-emerald-600" : "text-red-600"}`}>
                          {result.ok ? `OK, ${result.models?.length ?? 0} models, ${result.latencyMs} ms` : `Failed: ${result.error}`}
                        </span>
                      ) : null}
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}
