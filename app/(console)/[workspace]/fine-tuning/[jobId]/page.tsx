// /[workspace]/fine-tuning/[jobId]: one job, live: its status timeline, loss curves, checkpoints
// and events; cancel while it runs; try the model in the playground once it succeeded.
import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireWorkspace } from "@/lib/auth/session";
import { roleCan } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { BoraError } from "@/lib/errors";
import { getJob, jobDetail } from "@/lib/fine-tuning/jobs";
import { notFound } from "next/navigation";
import { AutoRefresh } from "../../usage/_components/auto-refresh";
import { CancelJob } from "../_components/cancel-job";
import { LossChart } from "../_components/loss-chart";
import { StatusBadge } from "@/components/ui/status-badge";

export const metadata: Metadata = { title: "Fine-tuning job" };

type Props = { params: Promise<{ workspace: string; jobId: string }> };

const ended = ["SUCCESS", "FAILED", "FAILED_VALIDATION", "CANCELLED"];
const time = (s: number) => new Date(s * 1000).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });

export default async function JobPage({ params }: Props) {
  const { workspace, jobId } = await params;
  const ctx = await requireWorkspace(workspace, "jobs:read");
  const db = await getDb();
  const job = await getJob(db, ctx.workspace.id, jobId).catch((err: unknown) => {
    if (err instanceof BoraError && err.status === 404) notFound();
    throw err;
  });
  const detail = await jobDetail(db, job);
  const checkpoints = detail.checkpoints ?? [];
  const events = detail.events ?? [];
  const running = !ended.includes(detail.status);
  const points = checkpoints.map((c) => ({ step: c.step_number, train_loss: c.metrics.train_loss, valid_loss: c.metrics.valid_loss }));
  const steps = detail.hyperparameters.training_steps;
  const last = checkpoints.at(-1)?.step_number ?? 0;
  return (
    <>
      <PageHeader title={`Job ${detail.id.slice(0, 8)}`} description={`Fine-tuning ${detail.model}${detail.suffix ? ` (${detail.suffix})` : ""} with ${detail.training_files.length} training file${detail.training_files.length === 1 ? "" : "s"}.`} />
      {running ? <AutoRefresh seconds={2} /> : null}
      <div className="mb-6 flex flex-wrap items-center gap-4">
        <span data-testid="job-status">
          <StatusBadge status={detail.status} />
        </span>
        {steps ? (
          <span className="text-sm text-zinc-600 dark:text-zinc-400">
            Step {last} of {steps}
          </span>
        ) : null}
        {detail.fine_tuned_model ? (
          <Link href={`/${ctx.workspace.slug}/playground?model=${encodeURIComponent(detail.fine_tuned_model)}`} className={buttonClass("primary")}>
            Try {detail.fine_tuned_model} in the playground
          </Link>
        ) : null}
        {running && roleCan(ctx.role, "jobs:manage") ? <CancelJob workspace={ctx.workspace.slug} id={detail.id} /> : null}
      </div>
      {job.failureReason ? (
        <p role="alert" className="mb-6 whitespace-pre-wrap rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
          {job.failureReason}
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card title="Loss" description="Per checkpoint; lower is better.">
            <div className="p-4">{points.length ? <LossChart points={points} /> : <p className="text-sm text-zinc-500">No checkpoint yet: the curve starts with the first one.</p>}</div>
          </Card>
        </div>
        <Card title="Timeline">
          <ol className="space-y-2 p-4 text-sm" data-testid="job-timeline">
            {events.map((e, i) => (
              <li key={i} className="flex justify-between gap-3">
                <span>{String(e.data.status ?? e.name).replace(/_/g, " ").toLowerCase()}</span>
                <time className="text-zinc-500">{time(e.created_at)}</time>
              </li>
            ))}
          </ol>
        </Card>
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card title="Checkpoints">
          <table className="w-full text-sm">
            <thead className="text-left text-xs uppercase text-zinc-500">
              <tr>
                <th className="px-4 py-2 font-medium">Step</th>
                <th className="px-4 py-2 text-right font-medium">Training loss</th>
                <th className="px-4 py-2 text-right font-medium">Validation loss</th>
                <th className="px-4 py-2 text-right font-medium">Accuracy</th>
              </tr>
            </thead>
            <tbody>
              {checkpoints.map((c) => (
                <tr key={c.step_number} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="px-4 py-1.5 tabular-nums">{c.step_number}</td>
                  <td className="px-4 py-1.5 text-right tabular-nums">{c.metrics.train_loss?.toFixed(4) ?? "—"}</td>
                  <td className="px-4 py-1.5 text-right tabular-nums">{c.metrics.valid_loss?.toFixed(4) ?? "—"}</td>
                  <td className="px-4 py-1.5 text-right tabular-nums">{c.metrics.valid_mean_token_accuracy != null ? `${(c.metrics.valid_mean_token_accuracy * 100).toFixed(1)}%` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title="Details">
          <dl className="grid grid-cols-2 gap-x-4 gap-y-2 p-4 text-sm">
            <dt className="text-zinc-500">Trainer</dt>
            <dd>{job.trainer}</dd>
            <dt className="text-zinc-500">Hyperparameters</dt>
            <dd className="font-mono text-xs">
              {Object.entries(detail.hyperparameters).map(([k, v]) => (
                <div key={k} className="break-all">
                  {k} {String(v)}
                </div>
              ))}
            </dd>
            <dt className="text-zinc-500">Data tokens</dt>
            <dd className="tabular-nums">{detail.metadata?.data_tokens?.toLocaleString("en-US") ?? "—"}</dd>
            <dt className="text-zinc-500">Training tokens</dt>
            <dd className="tabular-nums">{(detail.trained_tokens ?? detail.metadata?.train_tokens)?.toLocaleString("en-US") ?? "—"}</dd>
            <dt className="text-zinc-500">Cost</dt>
            <dd className="tabular-nums">{detail.metadata?.cost != null ? `$${detail.metadata.cost.toFixed(2)}` : "—"}</dd>
          </dl>
        </Card>
      </div>
    </>
  );
}
