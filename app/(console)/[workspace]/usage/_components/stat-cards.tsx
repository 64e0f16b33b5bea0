// The period's totals, each with its change against the previous period of the same length.
import type { Totals } from "@/lib/services/usage-dashboard";
import { int, usd } from "./format";

function change(now: number, before: number): string | null {
  if (before === 0) return now === 0 ? null : "new";
  const pct = ((now - before) / before) * 100;
  return `${pct >= 0 ? "+" : ""}${pct.toFixed(0)}%`;
}

// Percentiles come from log-scale histograms (lib/usage/histogram.ts): within the true value's 25%-wide bucket.
const ms = (v: number | null) => (v === null ? "—" : `${int(v)} ms`);

export function StatCards({ totals, previous }: { totals: Totals; previous: Totals }) {
  const errorRate = (t: Totals) => (t.requests ? (t.errors / t.requests) * 100 : 0);
  const cards = [
    { label: "Requests", value: int(totals.requests), delta: change(totals.requests, previous.requests) },
    { label: "Input tokens", value: int(totals.promptTokens), delta: change(totals.promptTokens, previous.promptTokens) },
    { label: "Output tokens", value: int(totals.completionTokens), delta: change(totals.completionTokens, previous.completionTokens) },
    { label: "Spend", value: usd(totals.cost), delta: change(totals.cost, previous.cost) },
    { label: "Error rate", value: `${errorRate(totals).toFixed(1)}%`, delta: null },
    { label: "Latency p50", value: ms(totals.p50LatencyMs), delta: change(totals.p50LatencyMs ?? 0, previous.p50LatencyMs ?? 0) },
    { label: "Latency p95", value: ms(totals.p95LatencyMs), delta: change(totals.p95LatencyMs ?? 0, previous.p95LatencyMs ?? 0) },
    { label: "First token p50", value: ms(totals.p50TtftMs), delta: change(totals.p50TtftMs ?? 0, previous.p50TtftMs ?? 0) },
    { label: "First token p95", value: ms(totals.p95TtftMs), delta: change(totals.p95TtftMs ?? 0, previous.p95TtftMs ?? 0) },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" data-testid="usage-stats">
      {cards.map((c) => (
        <div key={c.label} className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <dt className="text-xs font-medium text-zinc-500">{c.label}</dt>
          <dd className="mt-1 text-xl font-semibold tabular-nums" data-testid={`stat-${c.label.toLowerCase().replace(/\s+/g, "-")}`}>
            {c.value}
          </dd>
          {c.delta ? <dd className="text-xs text-zinc-500">{c.delta} vs previous period</dd> : null}
        </div>
      ))}
    </dl>
  );
}
