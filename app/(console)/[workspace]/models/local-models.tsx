"use client";
// The local engine's GGUF files: size, load state and memory, with load, unload and delete for
// instance administrators. Each error shows beside the file (or the Rescan button) it concerns.
import { RefreshCw } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { TableHead } from "@/components/ui/table-head";
import type { LocalModelView } from "@/lib/services/local-models";
import { deleteLocalModelAction, loadLocalModelAction, rescanLocalModelsAction, unloadLocalModelAction } from "./actions";

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.ceil(n / 1024)} KiB`;
}

const tone = {
  loaded: "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-300",
  loading: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  unloaded: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  unavailable: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

function Row({ m, workspace, admin }: { m: LocalModelView; workspace: string; admin: boolean }) {
  const load = useAction(loadLocalModelAction);
  const unload = useAction(unloadLocalModelAction);
  const remove = useAction(deleteLocalModelAction);
  const busy = load.isPending || unload.isPending || remove.isPending;
  const missing = m.sizeBytes === null;
  const state = missing ? "unavailable" : load.isPending ? "loading" : unload.isPending ? "loaded" : m.state;
  const error = load.result.serverError ?? unload.result.serverError ?? remove.result.serverError;
  return (
    <>
      <tr data-testid={`local-${m.file}`}>
        <td className="px-5 py-3">
          <div className="font-mono text-xs font-semibold">{m.file}</div>
          <div className="text-xs text-zinc-500">{m.aliases.length ? `as ${m.aliases.join(", ")}` : "no alias"}</div>
        </td>
        <td className="whitespace-nowrap px-5 py-3 text-right tabular-nums" data-testid="local-size">
          {missing ? "—" : formatBytes(m.sizeBytes!)}
        </td>
        <td className="px-5 py-3 text-right tabular-nums">{m.contextLength?.toLocaleString("en-US") ?? "—"}</td>
        <td className="px-5 py-3 text-xs">{missing ? "—" : m.chatTemplate ? "Own template" : "Generic"}</td>
        <td className="px-5 py-3">
          <span data-testid="local-state" className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${tone[state]}`} title={missing ? "The file is no longer in the models dir." : undefined}>
            {state}
          </span>
        </td>
        <td className="px-5 py-3 text-right tabular-nums" data-testid="local-memory">
          {state === "loaded" && m.memoryBytes ? formatBytes(m.memoryBytes) : "—"}
        </td>
        {admin ? (
          <td className="px-5 py-3">
            {missing ? null : (
              <div className="flex flex-wrap justify-end gap-2">
                {m.state === "loaded" ? (
                  <Button variant="secondary" disabled={busy} aria-label={`Unload ${m.file}`} onClick={() => unload.execute({ workspace, file: m.file })}>
                    Unload
                  </Button>
                ) : (
                  <Button variant="secondary" disabled={busy} aria-label={`Load ${m.file}`} onClick={() => load.execute({ workspace, file: m.file })}>
                    {load.isPending ? "Loading…" : "Load"}
                  </Button>
                )}
                <ConfirmButton label={`Delete ${m.file}`} question={`Delete ${m.file} from the models dir? The file is removed and ${m.aliases.length ? m.aliases.join(", ") : "no alias"} loses its local deployment.`} disabled={busy} onConfirm={() => remove.execute({ workspace, file: m.file })}>
                  Delete
                </ConfirmButton>
              </div>
            )}
          </td>
        ) : null}
      </tr>
      {error ? (
        <tr>
          <td colSpan={admin ? 7 : 6} className="px-5 pb-3 text-sm text-red-700 dark:text-red-400" role="alert" data-testid={`local-error-${m.file}`}>
            {error.message}
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function LocalModels({ models, workspace, admin, dir }: { models: LocalModelView[]; workspace: string; admin: boolean; dir: string }) {
  const rescan = useAction(rescanLocalModelsAction);
  const r = rescan.result.data;
  const summary = r ? [r.added.length ? `Added ${r.added.map((a) => a.alias).join(", ")}.` : "Nothing new.", ...r.skipped.map((s) => `Skipped ${s.file}: ${s.reason}.`)].join(" ") : undefined;
  return (
    <Card title="Local models" description={`GGUF files in ${dir}, served in this process. A model loads on its first request (or with Load) and unloads after a while without requests.`}>
      {admin ? (
        <div className="flex flex-wrap items-center gap-3 px-5 pt-4">
          <Button variant="secondary" disabled={rescan.isPending} onClick={() => rescan.execute({ workspace })}>
            <RefreshCw className="h-4 w-4" aria-hidden /> {rescan.isPending ? "Rescanning…" : "Rescan"}
          </Button>
          {rescan.result.serverError ? (
            <span role="alert" className="text-sm text-red-700 dark:text-red-400">
              {rescan.result.serverError.message}
            </span>
          ) : summary ? (
            <span role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
              {summary}
            </span>
          ) : null}
        </div>
      ) : null}
      {models.length === 0 ? (
        <p className="px-5 py-4 text-sm text-zinc-600 dark:text-zinc-400">No GGUF files yet. Put one in the models dir and rescan.</p>
      ) : (
        <table className="w-full text-sm" data-testid="local-models-table">
          <TableHead
            columns={[
              { label: "File" },
              { label: "Size", align: "right" },
              { label: "Context", align: "right" },
              { label: "Chat template" },
              { label: "State" },
              { label: "Memory", align: "right" },
              ...(admin ? [{ label: "Actions", align: "right" as const }] : []),
            ]}
          />
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {models.map((m) => (
              <Row key={m.file} m={m} workspace={workspace} admin={admin} />
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
