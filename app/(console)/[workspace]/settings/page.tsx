// /[workspace]/settings: the workspace's own settings and its recent audit trail.
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { roleCan } from "@/lib/auth/permissions";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listAudit } from "@/lib/services/audit-queries";
import { SettingsForm } from "./settings-form";
import { TableHead } from "@/components/ui/table-head";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "workspace:read");
  const audit = roleCan(ctx.role, "audit:read") ? await listAudit(await getDb(), ctx, { limit: 20 }) : [];
  const w = ctx.workspace;
  return (
    <>
      <PageHeader title="Settings" description="The workspace's name, where its requests may be served, and the time zone its monthly budgets follow." />
      <div className="space-y-6">
        <SettingsForm
          workspace={w.slug}
          canEdit={roleCan(ctx.role, "workspace:update")}
          initial={{ name: w.name, residencyPolicy: w.residencyPolicy as "any" | "eu-only", timeZone: w.timeZone, requestLogDays: w.requestLogDays, usageRawRetentionDays: w.usageRawRetentionDays, batchMode: w.batchMode }}
        />
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
