// /[workspace]/settings: the workspace's own settings and its recent audit trail.
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { roleCan } from "@/lib/auth/permissions";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getSecret } from "@/lib/auth/secret";
import { listAudit } from "@/lib/services/audit-queries";
import { listModels } from "@/lib/services/models";
import { getWorkspaceBudget } from "@/lib/services/workspace-budget";
import { BudgetForm } from "./budget-form";
import { SettingsForm } from "./settings-form";
import { WorkspaceLimitsForm } from "./workspace-limits-form";
import { TableHead } from "@/components/ui/table-head";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "workspace:read");
  const db = await getDb();
  const canEdit = roleCan(ctx.role, "workspace:update");
  const [audit, budget, models] = await Promise.all([
    roleCan(ctx.role, "audit:read") ? listAudit(db, ctx, { limit: 20 }) : [],
    // The webhook's signing secret only for those who may change the settings.
    getWorkspaceBudget(db, ctx, getSecret(), canEdit),
    listModels(db, undefined, { workspaceId: ctx.workspace.id }),
  ]);
  const w = ctx.workspace;
  return (
    <>
      <PageHeader title="Settings" description="The workspace's name, where its requests may be served, the time zone its monthly budgets follow, its spend cap and its own limits." />
      <div className="space-y-6">
        <SettingsForm
          workspace={w.slug}
          canEdit={canEdit}
          initial={{ name: w.name, residencyPolicy: w.residencyPolicy as "any" | "eu-only", timeZone: w.timeZone, requestLogDays: w.requestLogDays, usageRawRetentionDays: w.usageRawRetentionDays, batchMode: w.batchMode }}
        />
        <BudgetForm workspace={w.slug} canEdit={canEdit} budget={budget} />
        <WorkspaceLimitsForm workspace={w.slug} canEdit={canEdit} models={models.map((m) => m.alias)} initial={budget.limits} />
        {roleCan(ctx.role, "audit:read") ? (
          <Card title="Recent activity" description="Changes made in this workspace, newest first. Secrets are never recorded.">
            {audit.length === 0 ? (
              <p className="px-5 py-6 text-sm text-zinc-500">Nothing yet.</p>
            ) : (
              <table className="w-full text-sm" data-testid="audit-table">
                <TableHead dense columns={[{ label: "When" }, { label: "Who" }, { label: "What" }, { label: "Via" }]} />
                <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                  {audit.map((a) => (
                    <tr key={a.id}>
                      <td className="whitespace-nowrap px-5 py-2 text-zinc-500">{a.createdAt.toLocaleString()}</td>
                      <td className="px-5 py-2">{a.actorEmail ?? "system"}</td>
                      <td className="px-5 py-2 font-mono text-xs">{a.action}</td>
                      <td className="px-5 py-2 text-zinc-500">{a.actorVia}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        ) : null}
      </div>
    </>
  );
}
