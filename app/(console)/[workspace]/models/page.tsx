// /[workspace]/models: the model aliases clients can call, with capabilities, prices and routing.
import type { Metadata } from "next";
import { Boxes } from "lucide-react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { localEngine } from "@/lib/engine";
import { listLocalModels } from "@/lib/services/local-models";
import { listModels } from "@/lib/services/models";
import { listProviders } from "@/lib/services/providers";
import { AddModelForm } from "./add-model-form";
import { LocalModels } from "./local-models";
import { TableHead } from "@/components/ui/table-head";

export const metadata: Metadata = { title: "Models" };

const capabilityLabels: [keyof Awaited<ReturnType<typeof listModels>>[number]["capabilities"], string][] = [
  ["chat", "Chat"],
  ["fim", "FIM"],
  ["embeddings", "Embeddings"],
  ["functionCalling", "Tools"],
  ["vision", "Vision"],
];

const usd = (n: number) => (n === 0 ? "—" : `$${n.toFixed(n < 1 ? 3 : 2)}`);

export default async function ModelsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "models:read");
  const db = await getDb();
  const models = await listModels(db, undefined, { workspaceId: ctx.workspace.id });
  const admin = ctx.user.isInstanceAdmin;
  const providers = admin ? await listProviders(db) : [];
  const local = await listLocalModels(db);
  return (
    <>
      <PageHeader title="Models" description="Aliases that clients send as `model`. Each routes to one or more upstream deployments, tried in order; an auto alias picks the cheapest candidate that can serve the request." />
      <div className={admin ? "grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]" : ""}>
        {models.length === 0 ? (
          <EmptyState icon={Boxes} title="No models yet">
            <p>{admin ? "Add a provider first, then a model alias that routes to one of its models." : "An instance administrator adds providers and models. Set MISTRAL_API_KEY or OPENAI_API_KEY to import them at start."}</p>
          </EmptyState>
        ) : (
          <Card>
            <table className="w-full text-sm" data-testid="models-table">
              <TableHead columns={[{ label: "Model" }, { label: "Capabilities" }, { label: "Input / M", align: "right" }, { label: "Output / M", align: "right" }, { label: "Context", align: "right" }, { label: "Routes to" }]} />
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {models.map((m) => (
                  <tr key={m.alias} data-testid={`model-${m.alias}`}>
                    <td className="px-5 py-3 font-mono text-xs font-semibold">{m.alias}</td>
                    <td className="px-5 py-3">
                      <div className="flex flex-wrap gap-1">
                        {capabilityLabels
                          .filter(([k]) => m.capabilities[k])
                          .map(([k, label]) => (
                            <span key={k} className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
                              {label}
                            </span>
                          ))}
                      </div>
                    </td>
                    <td className="px-5 py-3 text-right tabular-nums">{usd(m.inputPricePerMillion)}</td>
                    <td className="px-5 py-3 text-right tabular-nums">{usd(m.outputPricePerMillion)}</td>
                    <td className="px-5 py-3 text-right tabular-nums">{m.contextLength.toLocaleString("en-US")}</td>
                    <td className="px-5 py-3 text-xs text-zinc-600 dark:text-zinc-400">
                      {m.routing === "auto" ? `auto: cheapest of ${m.candidates?.join(", ")}` : m.deployments.map((d) => `${d.provider}/${d.upstreamModel}`).join(" → ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
        {admin ? <AddModelForm workspace={ctx.workspace.slug} providers={providers.map((p) => p.name)} /> : null}
      </div>
      <div className="mt-6">
        <LocalModels models={local} workspace={ctx.workspace.slug} admin={admin} dir={admin ? localEngine().modelsDir : "the models dir"} />
      </div>
    </>
  );
}
