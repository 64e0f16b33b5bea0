// /[workspace]/usage: where the tokens and the money go. Filters live in the URL.
import type { Metadata } from "next";
import { Activity } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listKeys } from "@/lib/services/api-keys";
import { listUsage } from "@/lib/services/usage";
import { usageFilterInput, usageOverview } from "@/lib/services/usage-dashboard";
import { AutoRefresh } from "./_components/auto-refresh";
import { Breakdowns } from "./_components/breakdowns";
import { Filters } from "./_components/filters";
import { RequestLog } from "./_components/request-log";
import { StatCards } from "./_components/stat-cards";
import { UsageChart } from "./_components/usage-chart";

export const metadata: Metadata = { title: "Usage" };

type Props = { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | undefined>> };

export default async function UsagePage({ params, searchParams }: Props) {
  const ctx = await requireWorkspace((await params).workspace, "usage:read");
  const query = await searchParams;
  const filter = usageFilterInput.parse(query);
  const db = await getDb();
  const before = Number(query.before) || undefined;
  const [overview, log, keys] = await Promise.all([usageOverview(db, ctx, filter), listUsage(db, ctx, { limit: 50, before, key: filter.key, model: filter.model }), listKeys(db, ctx)]);
  const models = [...new Set(overview.byModel.map((m) => m.model).concat(filter.model ? [filter.model] : []))];
  return (
    <>
      <PageHeader title="Usage" description="Requests, tokens and spend of this workspace, from every key and the playground. Figures are summed per minute, hour and day as requests arrive." />
      <Filters range={filter.range} keyId={filter.key} model={filter.model} keys={keys.map((k) => ({ id: k.id, name: k.name }))} models={models} />
      {["1h", "6h", "24h"].includes(filter.range) ? <AutoRefresh seconds={15} /> : null}
      {overview.totals.requests === 0 && overview.previous.requests === 0 ? (
        <EmptyState icon={Activity} title="No usage in this period">
          <p>Requests through the gateway appear here within a second: tokens in and out, cost, latency, errors, by model and key.</p>
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <StatCards totals={overview.totals} previous={overview.previous} />
          <UsageChart series={overview.series} step={overview.step} stack={overview.stack} from={overview.from.toISOString()} to={overview.to.toISOString()} />
          <Breakdowns byModel={overview.byModel} byKey={overview.byKey} workspace={ctx.workspace.slug} />
        </div>
      )}
      <RequestLog
        workspace={ctx.workspace.slug}
        query={query}
        rows={log.map((e) => ({ id: e.id, requestId: e.requestId, createdAt: e.createdAt.toISOString(), keyName: e.keyName ?? (e.origin === "playground" ? "Playground" : "—"), model: e.model, endpoint: e.endpoint, promptTokens: e.promptTokens, completionTokens: e.completionTokens, cost: e.cost, latencyMs: e.latencyMs, ttftMs: e.ttftMs, status: e.status, errorType: e.errorType }))}
      />
    </>
  );
}
