// /[workspace]/fine-tuning: the workspace's fine-tuning jobs, newest first, refreshing while
// any is still running.
import type { Metadata } from "next";
import Link from "next/link";
import { FlaskConical } from "lucide-react";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { TableHead } from "@/components/ui/table-head";
import { roleCan } from "@/lib/auth/permissions";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { lastSteps, listJobs } from "@/lib/fine-tuning/jobs";
import { AutoRefresh } from "../usage/_components/auto-refresh";
import { StatusBadge } from "@/components/ui/status-badge";

export const metadata: Metadata = { title: "Fine-tuning" };

type Props = { params: Promise<{ workspace: string }> };

const finished = ["SUCCESS", "FAILED", "FAILED_VALIDATION", "CANCELLED"];

function StepProgress({ step, total }: { step: number; total: number | null }) {
  if (!total) return <span className="text-zinc-500">—</span>;
  const pct = Math.min(100, Math.round((step / total) * 100));
  return (
    <div className="w-32">
      <div role="progressbar" aria-label="Training steps" aria-valuemin={0} aria-valuemax={total} aria-valuenow={step} className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
        <div className="h-full bg-brand-600" style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-0.5 text-xs tabular-nums text-zinc-500">
        step {step} of {total}
      </p>
    </div>
  );
}

export default async function FineTuningPage({ params }: Props) {
  const ctx = await requireWorkspace((await params).workspace, "jobs:read");
  const db = await getDb();
  const { data: jobs } = await listJobs(db, ctx.workspace.id, { page: 0, page_size: 100 });
  const steps = await lastSteps(db, jobs.map((j) => j.id));
  const base = `/${ctx.workspace.slug}/fine-tuning`;
  return (
    <>
      <PageHeader
        title="Fine-tuning"
        description="Jobs from the wizard or the API (POST /v1/fine_tuning/jobs) with their status, progress and cost. Open one for its loss curves, checkpoints and events."
        actions={
          roleCan(ctx.role, "jobs:manage") ? (
            <Link href={`${base}/new`} className={buttonClass("primary")}>
              New job
            </Link>
          ) : null
        }
      />
      {jobs.some((j) => !finished.includes(j.status)) ? <AutoRefresh seconds={2} /> : null}
      {jobs.length === 0 ? (
        <EmptyState icon={FlaskConical} title="No fine-tuning jobs">
          <p>Start one with New job: choose a JSONL dataset of conversations, fix what the check finds, pick a base model. Jobs created through the API (POST /v1/fine_tuning/jobs) appear here too, and update live.</p>
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-sm" data-testid="jobs-table">
            <TableHead dense columns={[{ label: "Job" }, { label: "Base model" }, { label: "Status" }, { label: "Progress" }, { label: "Fine-tuned model" }, { label: "Training tokens", align: "right" }, { label: "Cost", align: "right" }, { label: "Created" }]} />
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="px-5 py-2 font-mono text-xs">
                    <Link href={`${base}/${j.id}`} className="text-orange-700 underline-offset-2 hover:underline dark:text-orange-400">
                      {j.id.slice(0, 8)}
                    </Link>
                    {j.suffix ? <span className="ml-2 text-zinc-500">{j.suffix}</span> : null}
                  </td>
                  <td className="px-5 py-2">{j.model}</td>
                  <td className="px-5 py-2">
                    <StatusBadge status={j.status} />
                  </td>
                  <td className="px-5 py-2">
                    <StepProgress step={j.status === "SUCCESS" ? (j.hyperparameters.training_steps ?? 0) : (steps.get(j.id) ?? 0)} total={j.hyperparameters.training_steps ?? null} />
                  </td>
                  <td className="px-5 py-2 font-mono text-xs">{j.fine_tuned_model ?? "—"}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{(j.trained_tokens ?? j.metadata?.train_tokens)?.toLocaleString("en-US") ?? "—"}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{j.metadata?.cost != null ? `$${j.metadata.cost.toFixed(2)}` : "—"}</td>
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
