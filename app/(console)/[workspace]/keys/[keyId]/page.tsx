// /[workspace]/keys/[keyId]: one key's limits and this month's use, and the limit explainer:
// which limit would stop its next request on a model, the headroom at each level, and when each
// resets. A plain GET form, so it works without scripts and each answer has a shareable URL.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { TableHead } from "@/components/ui/table-head";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isBoraError } from "@/lib/errors";
import { listKeys } from "@/lib/services/api-keys";
import { explainKeyLimits, type Explanation } from "@/lib/services/limit-explainer";
import { listModels } from "@/lib/services/models";
import { HeadroomBar, levelLabel, resetLabel, amount } from "./headroom";

export const metadata: Metadata = { title: "API key" };

type Props = { params: Promise<{ workspace: string; keyId: string }>; searchParams: Promise<{ model?: string; tokens?: string }> };

export default async function KeyPage({ params, searchParams }: Props) {
  const { workspace, keyId } = await params;
  const query = await searchParams;
  const ctx = await requireWorkspace(workspace, "keys:read");
  const db = await getDb();
  const key = (await listKeys(db, ctx)).find((k) => k.id === keyId);
  if (!key) notFound();
  const models = (await listModels(db, undefined, { workspaceId: ctx.workspace.id })).map((m) => m.alias).filter((m) => !key.allowedModels || key.allowedModels.includes(m));
  const model = query.model && models.includes(query.model) ? query.model : models[0];
  const tokens = Number(query.tokens) > 0 ? Math.floor(Number(query.tokens)) : 1000;
  let result: Explanation | null = null;
  let error: string | null = null;
  if (model) {
    try {
      result = await explainKeyLimits(db, ctx, { key: key.id, model, tokens });
    } catch (err) {
      if (!isBoraError(err)) throw err;
      error = err.message;
    }
  }
  const blocker = result?.levels.find((l) => l.blocks);
  return (
    <>
      <PageHeader
        title={key.name}
        description={<span className="font-mono">bora_{key.prefix}_…</span>}
        actions={
          <Link href={`/${workspace}/keys`} className={buttonClass("secondary")}>
            All keys
          </Link>
        }
      />
      <Card title="Limit explainer" description="Which limit would stop this key's next request, and how much room is left at every level that counts it. Counters are live; refresh to read them again.">
        <form method="get" className="flex flex-wrap items-end gap-3 border-b border-zinc-200 p-5 dark:border-zinc-800">
          <div className="space-y-1.5 text-sm font-medium">
            <label htmlFor="filter-model" className="block">Model</label>
            <select id="filter-model" name="model" defaultValue={model} className={controlClass}>
              {models.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </div>
          <div className="space-y-1.5 text-sm font-medium">
            <label htmlFor="filter-tokens" className="block">Request size (tokens in + out)</label>
            <input id="filter-tokens" name="tokens" type="number" min={1} defaultValue={tokens} className={controlClass} />
          </div>
          <button type="submit" className={buttonClass("primary")}>
            Check
          </button>
        </form>
        {error ? (
          <p role="alert" className="px-5 py-4 text-sm text-red-600">
            {error}
          </p>
        ) : !model ? (
          <p className="px-5 py-4 text-sm text-zinc-500">This key may use no model of the workspace.</p>
        ) : result ? (
          <>
            <p className="px-5 py-4 text-sm" data-testid="explainer-verdict">
              {result.state === "revoked" ? (
                <strong className="text-red-600">This key is revoked: every request gets 401.</strong>
              ) : result.state === "expired" ? (
                <strong className="text-red-600">This key has expired: every request gets 401.</strong>
              ) : result.state === "model_not_allowed" ? (
                <strong className="text-red-600">This key may not use {model}: requests get 403.</strong>
              ) : blocker ? (
                <>
                  A request of {tokens.toLocaleString("en-US")} tokens on <span className="font-mono">{model}</span> (about ${result.estimatedCostUsd.toFixed(4)}) would be <strong className="text-red-600">refused</strong> by{" "}
                  <strong>
                    {levelLabel(blocker.scope, model)}: {blocker.what.toLowerCase()}
                  </strong>{" "}
                  ({amount(blocker.remaining, blocker.unit)} left{blocker.resetsAt ? `, ${resetLabel(blocker.resetsAt)}` : ", frees as requests end"}).
                </>
              ) : (
                <>
                  A request of {tokens.toLocaleString("en-US")} tokens on <span className="font-mono">{model}</span> (about ${result.estimatedCostUsd.toFixed(4)}) would <strong className="text-emerald-600">pass</strong>
                  {result.levels.length ? "." : ": no limit applies to it."}
                </>
              )}
            </p>
            {result.levels.length ? (
              <table className="w-full text-sm" data-testid="explainer-table">
                <TableHead columns={[{ label: "Level" }, { label: "Limit" }, { label: "Used" }, { label: "Left" }, { label: "Resets" }]} />
                <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                  {result.levels.map((l, i) => (
                    <tr key={i} className={l.blocks ? "bg-red-50 dark:bg-red-950/30" : undefined} data-testid="explainer-row">
                      <td className="px-5 py-2">{levelLabel(l.scope, model!)}</td>
                      <td className="px-5 py-2">
                        {l.what}: {amount(l.max, l.unit)}
                      </td>
                      <td className="px-5 py-2">
                        <HeadroomBar used={l.used} max={l.max} label={`${l.what} used at ${levelLabel(l.scope, model!)}`} />
                        <span className="text-xs text-zinc-500">{amount(l.used, l.unit)}</span>
                      </td>
                      <td className="px-5 py-2">{amount(l.remaining, l.unit)}</td>
                      <td className="px-5 py-2 text-zinc-500">{l.resetsAt ? resetLabel(l.resetsAt) : "as requests end"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        ) : null}
      </Card>
    </>
  );
}
