// /[workspace]/batches/[batchId]: one batch, live: progress with rate and time left, counts,
// errors grouped by kind, downloads of its results (signed links), cancel, and retry of the
// failed lines as a new batch. A batch made from a CSV also gives the CSV with answers joined on.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { roleCan } from "@/lib/auth/permissions";
import { getSecret } from "@/lib/auth/secret";
import { requireWorkspace } from "@/lib/auth/session";
import { batchDetail, getBatch } from "@/lib/batch/jobs";
import { getDb } from "@/lib/db/client";
import { BoraError } from "@/lib/errors";
import { signFileUrl } from "@/lib/files/signed-url";
import { AutoRefresh } from "../../usage/_components/auto-refresh";
import { BatchActions } from "../_components/batch-actions";
import { ProgressBar } from "../_components/progress-bar";

export const metadata: Metadata = { title: "Batch" };

const open = ["QUEUED", "RUNNING", "CANCELLATION_REQUESTED"];

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

// Rate so far and time left at that rate; a batch that ended counts up to its end.
function timing(d: { started_at: number | null; completed_at: number | null; completed_requests: number; total_requests: number }) {
  const elapsed = d.started_at ? (d.completed_at ?? Date.now() / 1000) - d.started_at : 0;
  const rate = elapsed > 0 ? d.completed_requests / elapsed : 0;
  return { elapsed, rate, left: rate > 0 ? (d.total_requests - d.completed_requests) / rate : null };
}

// Links that work without a key for an hour: the browser downloads straight from /v1/files.
function link(fileId: string | null): string | null {
  return fileId ? signFileUrl("", getSecret(), fileId, Math.floor(Date.now() / 1000) + 3600) : null;
}

export default async function BatchPage({ params }: { params: Promise<{ workspace: string; batchId: string }> }) {
  const { workspace, batchId } = await params;
  const ctx = await requireWorkspace(workspace, "jobs:read");
  const db = await getDb();
  const job = await getBatch(db, ctx.workspace.id, batchId).catch((err: unknown) => {
    if (err instanceof BoraError && err.status === 404) notFound();
    throw err;
  });
  const d = await batchDetail(db, job);
  const running = open.includes(d.status);
  const done = d.completed_requests;
  const { elapsed, rate, left } = timing(d);
  const csv = (job.metadata as { csv_file_id?: string } | null)?.csv_file_id;
  return (
    <>
      <PageHeader title={`Batch ${d.id.slice(0, 8)}`} description={`${d.total_requests.toLocaleString("en-US")} requests to ${d.endpoint}${d.model ? ` on ${d.model}` : ""}, at the batch price.`} />
      {running ? <AutoRefresh seconds={1} /> : null}
      <div className="space-y-6">
        <Card>
          <div className="space-y-4 p-5">
            <div className="flex flex-wrap items-center gap-4">
              <span data-testid="batch-status">
                <StatusBadge status={d.status} />
              </span>
              {rate > 0 ? <span className="text-sm text-zinc-600 dark:text-zinc-400">{rate.toFixed(1)} requests/s</span> : null}
              {running && left !== null ? <span className="text-sm text-zinc-600 dark:text-zinc-400">about {duration(left)} left</span> : null}
              {!running && elapsed > 0 ? <span className="text-sm text-zinc-600 dark:text-zinc-400">took {duration(elapsed)}</span> : null}
            </div>
            <ProgressBar succeeded={d.succeeded_requests} failed={d.failed_requests} total={d.total_requests} label="Batch progress" />
            <dl className="grid grid-cols-3 gap-3 text-sm">
              {[
                ["Succeeded", d.succeeded_requests],
                ["Failed", d.failed_requests],
                ["Waiting", d.total_requests - done],
              ].map(([label, n]) => (
                <div key={label} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
                  <dt className="text-xs text-zinc-500">{label}</dt>
                  <dd className="text-lg font-semibold tabular-nums" data-testid={`batch-${String(label).toLowerCase()}`}>
                    {Number(n).toLocaleString("en-US")}
                  </dd>
                </div>
              ))}
            </dl>
            <BatchActions
              workspace={ctx.workspace.slug}
              id={d.id}
              canManage={roleCan(ctx.role, "jobs:manage")}
              running={running}
              failed={d.failed_requests}
              output={link(d.output_file)}
              errors={link(d.error_file)}
              joined={csv && !running ? `/${ctx.workspace.slug}/batches/${d.id}/joined` : null}
            />
          </div>
        </Card>
        {d.errors.length ? (
          <Card title="Errors by kind">
            <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="batch-errors">
              {d.errors.map((e) => (
                <li key={e.message} className="flex justify-between gap-4 px-5 py-2">
                  <span className="break-all">{e.message}</span>
                  <span className="tabular-nums text-zinc-500">{e.count}</span>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </div>
    </>
  );
}
