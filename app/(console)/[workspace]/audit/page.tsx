// /[workspace]/audit: the workspace's audit trail with filters (in the URL, so a view can be
// shared) and cursor pages. Before and after values of each change open in place.
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { TableHead } from "@/components/ui/table-head";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isBoraError } from "@/lib/errors";
import { listAudit, nextAuditCursor } from "@/lib/services/audit-queries";
import { ChangeDiff } from "./change-diff";

export const metadata: Metadata = { title: "Audit log" };

type Query = { action?: string; actor?: string; from?: string; to?: string; cursor?: string };

const actions = [
  ["", "Any change"],
  ["api_key", "API keys"],
  ["workspace.limits", "Workspace limits"],
  ["workspace.budget", "Budget settings"],
  ["budget", "Budget alerts"],
  ["member", "Members"],
  ["invitation", "Invitations"],
  ["workspace", "Workspace"],
] as const;

const pageSize = 50;

export default async function AuditPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<Query> }) {
  const { workspace } = await params;
  const q = await searchParams;
  const ctx = await requireWorkspace(workspace, "audit:read");
  let rows: Awaited<ReturnType<typeof listAudit>> = [];
  let error: string | null = null;
  try {
    // "to" is a day: include all of it.
    const to = q.to ? new Date(new Date(q.to).getTime() + 86_400_000 - 1) : undefined;
    rows = await listAudit(await getDb(), ctx, { action: q.action || undefined, actor: q.actor || undefined, from: q.from || undefined, to: to && !Number.isNaN(to.getTime()) ? to : q.to || undefined, cursor: q.cursor || undefined, limit: pageSize });
  } catch (err) {
    if (!isBoraError(err) && !(err instanceof Error && err.name === "ZodError")) throw err;
    error = "Check the filters: dates look like 2026-11-01.";
  }
  const next = nextAuditCursor(rows, pageSize);
  const link = (extra: Partial<Query>) => `?${new URLSearchParams(Object.entries({ ...q, ...extra }).filter(([, v]) => v) as [string, string][]).toString()}`;
  return (
    <>
      <PageHeader title="Audit log" description="Every change to keys, limits, budgets, members and settings in this workspace, newest first: who made it, through which door, and the values before and after. Secrets are never recorded." />
      <Card>
        <form method="get" className="flex flex-wrap items-end gap-3 border-b border-zinc-200 p-5 dark:border-zinc-800" aria-label="Filter the audit log">
          <div className="space-y-1.5 text-sm font-medium">
            <label htmlFor="filter-action" className="block">What</label>
            <select id="filter-action" name="action" defaultValue={q.action ?? ""} className={controlClass}>
              {actions.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1.5 text-sm font-medium">
            <label htmlFor="filter-actor" className="block">Who (email, or “system”)</label>
            <input id="filter-actor" name="actor" defaultValue={q.actor ?? ""} className={controlClass} />
          </div>
          <div className="space-y-1.5 text-sm font-medium">
            <label htmlFor="filter-from" className="block">From</label>
            <input id="filter-from" name="from" type="date" defaultValue={q.from ?? ""} className={controlClass} />
          </div>
          <div className="space-y-1.5 text-sm font-medium">
            <label htmlFor="filter-to" className="block">To</label>
            <input id="filter-to" name="to" type="date" defaultValue={q.to ?? ""} className={controlClass} />
          </div>
          <button type="submit" className={buttonClass("primary")}>
            Filter
          </button>
          {q.action || q.actor || q.from || q.to ? (
            <Link href={`/${workspace}/audit`} className={buttonClass("ghost")}>
              Clear
            </Link>
          ) : null}
        </form>
        {error ? (
          <p role="alert" className="px-5 py-4 text-sm text-red-600">
            {error}
          </p>
        ) : rows.length === 0 ? (
          <p className="px-5 py-6 text-sm text-zinc-500">No changes match.</p>
        ) : (
          <table className="w-full text-sm" data-testid="audit-log">
            <TableHead columns={[{ label: "When" }, { label: "Who" }, { label: "What" }, { label: "Change" }]} />
            <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-800">
              {rows.map((a) => (
                <tr key={a.id} data-testid="audit-row">
                  <td className="whitespace-nowrap px-5 py-2 text-zinc-500">{a.createdAt.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })}</td>
                  <td className="px-5 py-2">
                    {a.actorEmail ?? "system"}
                    <div className="text-xs text-zinc-500">via {a.actorVia}</div>
                  </td>
                  <td className="px-5 py-2 font-mono text-xs">{a.action}</td>
                  <td className="px-5 py-2">
                    <ChangeDiff before={a.before} after={a.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {q.cursor || next ? (
          <div className="flex justify-between border-t border-zinc-200 px-5 py-3 text-sm dark:border-zinc-800">
            {q.cursor ? <Link href={link({ cursor: undefined })}>← Newest</Link> : <span />}
            {next ? <Link href={link({ cursor: String(next) })}>Older →</Link> : null}
          </div>
        ) : null}
      </Card>
    </>
  );
}
