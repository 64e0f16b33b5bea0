"use client";
// Tokens over time, stacked by model: hourly for short ranges, daily for long ones.
import { useState } from "react";
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card } from "@/components/ui/card";
import { compact, int, usd } from "./format";

type Point = { bucket: string; model: string; tokens: number; requests: number; cost: number };
const metrics = { tokens: "Tokens", requests: "Requests", cost: "Spend" } as const;
type Metric = keyof typeof metrics;
const palette = ["#e3550c", "#2563eb", "#16a34a", "#9333ea", "#0891b2", "#ca8a04", "#db2777", "#4b5563"];

export function UsageChart({ series, step, from, to }: { series: Point[]; step: "hour" | "day"; from: string; to: string }) {
  const [metric, setMetric] = useState<Metric>("tokens");
  const models = [...new Set(series.map((p) => p.model))];
  // Every bucket of the range, so gaps show as zero rather than as a line across them.
  const stepMs = step === "day" ? 86_400_000 : 3_600_000;
  const start = step === "day" ? Math.floor(Date.parse(from) / stepMs) * stepMs : Date.parse(from);
  const rows: Record<string, number | string>[] = [];
  for (let t = start; t < Date.parse(to); t += stepMs) {
    const iso = new Date(t).toISOString();
    const row: Record<string, number | string> = { bucket: iso };
    for (const m of models) row[m] = 0;
    rows.push(row);
  }
  const index = new Map(rows.map((r, i) => [r.bucket as string, i]));
  for (const p of series) {
    const i = index.get(p.bucket);
    if (i !== undefined) rows[i]![p.model] = (rows[i]![p.model] as number) + p[metric];
  }
  const label = (iso: string) => new Date(iso).toLocaleString("en-US", step === "day" ? { month: "short", day: "numeric" } : { month: "short", day: "numeric", hour: "2-digit" });
  const format = (v: number) => (metric === "cost" ? usd(v) : int(v));
  return (
    <Card
      title={`${metrics[metric]} by model`}
      description={step === "day" ? "Per day (UTC)" : "Per hour"}
      actions={
        <div role="tablist" aria-label="Chart metric" className="flex gap-1">
          {(Object.keys(metrics) as Metric[]).map((m) => (
            <button key={m} type="button" role="tab" aria-selected={metric === m} onClick={() => setMetric(m)} className={`rounded px-2 py-1 text-xs font-medium ${metric === m ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}>
              {metrics[m]}
            </button>
          ))}
        </div>
      }
    >
      <div className="h-72 p-4" data-testid="usage-chart">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" className="text-zinc-200 dark:text-zinc-800" />
            <XAxis dataKey="bucket" tickFormatter={label} minTickGap={40} tick={{ fontSize: 11, fill: "#71717a" }} />
            <YAxis tickFormatter={(v: number) => (metric === "cost" ? usd(v) : compact(v))} tick={{ fontSize: 11, fill: "#71717a" }} width={metric === "cost" ? 80 : 56} />
            <Tooltip labelFormatter={(v) => label(String(v))} formatter={(v) => format(Number(v))} contentStyle={{ fontSize: 12 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {models.map((m, i) => (
              <Area key={m} type="monotone" dataKey={m} stackId="1" stroke={palette[i % palette.length]} fill={palette[i % palette.length]} fillOpacity={0.35} isAnimationActive={false} />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}
