// /[workspace]/batches: the workspace's batch jobs with their progress, refreshing while any runs.
import type { Metadata } from "next";
import Link from "next/link";
import { Layers } from "lucide-react";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { TableHead } from "@/components/ui/table-head";
import { StatusBadge } from "@/components/ui/status-badge";
import { roleCan } from "@/lib/auth/permissions";
import { requireWorkspace } from "@/lib/auth/session";
import { listBatches } from "@/lib/batch/jobs";
import { getDb } from "@/lib/db/client";
import { AutoRefresh } from "../usage/_components/auto-refresh";
import { ProgressBar } from "./_components/progress-bar";

export const metadata: Metadata = { title: "Batches" };

const open = ["QUEUED", "RUNNING", "CANCELLATION_REQUESTED"];

export default async function BatchesPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "jobs:read");
  const { data: jobs } = await listBatches(await getDb(), ctx.workspace.id, { page: 0, page_size: 100 });
  const base = `/${ctx.workspace.slug}/batches`;
  return (
    <>
      <PageHeader
        title="Batches"
        description="Large sets of requests run in the background at the batch price, from the wizard or the API (POST /v1/batch/jobs)."
        actions={
          roleCan(ctx.role, "jobs:manage") ? (
            <Link href={`${base}/new`} className={buttonClass("primary")}>
              New batch
            </Link>
          ) : null
        }
      />
      {jobs.some((j) => open.includes(j.status)) ? <AutoRefresh seconds={2} /> : null}
      {jobs.length === 0 ? (
        <EmptyState icon={Layers} title="No batches yet">
          <p>New batch turns a CSV and a prompt template (or a JSONL file of requests) into a batch; it runs in the background and its results download as files, or joined back onto the CSV.</p>
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-sm" data-testid="batches-table">
            <TableHead dense columns={[{ label: "Batch" }, { label: "Model" }, { label: "Status" }, { label: "Progress" }, { label: "Created" }]} />
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="px-5 py-2 font-mono text-xs">
                    <Link href={`${base}/${j.id}`} className="text-brand-700 underline-offset-2 hover:underline dark:text-brand-500">
                      {j.id.slice(0, 8)}
                    </Link>
                  </td>
                  <td className="px-5 py-2">{j.model ?? "—"}</td>
                  <td className="px-5 py-2">
                    <StatusBadge status={j.status} />
                  </td>
                  <td className="px-5 py-2">
                    <ProgressBar succeeded={j.succeeded_requests} failed={j.failed_requests} total={j.total_requests} label={`Batch ${j.id.slice(0, 8)} progress`} />
                  </td>
                  <td className="px-5 py-2 text-zinc-500">{new Date(j.created_at * 1000).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
