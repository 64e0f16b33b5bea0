// /[workspace]/providers: the upstreams behind the models. Details and changes are for
// instance administrators; members see which providers exist.
import type { Metadata } from "next";
import { PlugZap } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listProviders } from "@/lib/services/providers";
import { AddProviderForm } from "./add-provider-form";
import { ProvidersTable } from "./providers-table";

export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "models:read");
  const admin = ctx.user.isInstanceAdmin;
  const providers = (await listProviders(await getDb())).map((p) => ({ name: p.name, kind: p.kind, baseUrl: admin ? p.baseUrl : null, region: p.region, hasApiKey: p.hasApiKey, source: p.source }));
  return (
    <>
      <PageHeader title="Providers" description="The upstream APIs Bora forwards to: La Plateforme, any OpenAI-compatible server (vLLM, Ollama, llama.cpp, OpenAI) and the local engine. Their API keys are encrypted at rest and never leave the server." />
      <div className={admin ? "grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]" : ""}>
        {providers.length === 0 ? (
          <EmptyState icon={PlugZap} title="No providers configured">
            <p>{admin ? "Add one with “Add a provider”, or start Bora with MISTRAL_API_KEY or OPENAI_API_KEY set. No keys at hand? `npm run sim` starts an upstream simulator." : "An instance administrator adds providers."}</p>
          </EmptyState>
        ) : (
          <ProvidersTable workspace={ctx.workspace.slug} providers={providers} canTest={admin} />
        )}
        {admin ? <AddProviderForm workspace={ctx.workspace.slug} /> : null}
      </div>
    </>
  );
}
