// /[workspace]/keys: the workspace's API keys, and creating one.
import type { Metadata } from "next";
import { KeyRound } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { roleCan } from "@/lib/auth/permissions";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listKeys, modelLimitsOf } from "@/lib/services/api-keys";
import { listModels } from "@/lib/services/models";
import { monthToDateByKey } from "@/lib/services/usage-dashboard";
import { CreateKeyForm } from "./_components/create-key-form";
import { KeysTable } from "./_components/keys-table";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "keys:read");
  const db = await getDb();
  const [keys, models, month] = await Promise.all([listKeys(db, ctx), listModels(db, undefined, { workspaceId: ctx.workspace.id }), monthToDateByKey(db, ctx)]);
  const canManage = roleCan(ctx.role, "keys:manage");
  const perModel = await modelLimitsOf(db, keys.map((k) => k.id));
  const rows = keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    allowedModels: k.allowedModels,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
    rpm: k.rpm,
    tpm: k.tpm,
    maxConcurrent: k.maxConcurrent,
    monthlyTokenQuota: k.monthlyTokenQuota,
    monthlySpendQuotaNanos: k.monthlySpendQuotaNanos,
    replacedById: k.replacedById,
    modelLimits: perModel.get(k.id) ?? [],
    monthTokens: month.get(k.id)?.tokens ?? 0,
    monthCost: month.get(k.id)?.cost ?? 0,
  }));
  return (
    <>
      <PageHeader title="API keys" description="Keys that clients send as a Bearer token to /v1, with the official Mistral or OpenAI SDKs. A key's secret is shown once, when it is created; Bora keeps only its hash." />
      <div className="grid gap-6 2xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div>
          {rows.length === 0 ? (
            <EmptyState icon={KeyRound} title="No API keys yet">
              <p>{canManage ? "Fill in “Create a key”, then call Bora with it: the snippets shown with the secret are ready to paste." : "Developers, admins and owners of this workspace can create keys."}</p>
            </EmptyState>
          ) : (
            <KeysTable workspace={ctx.workspace.slug} keys={rows} canManage={canManage} />
          )}
        </div>
        {canManage ? <CreateKeyForm workspace={ctx.workspace.slug} models={models.map((m) => m.alias)} /> : null}
      </div>
    </>
  );
}
