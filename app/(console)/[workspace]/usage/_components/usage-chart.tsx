"use client";
// Tokens, requests or spend over time, stacked by model, key, provider, endpoint or origin (kept
// in the URL as `stack`): per minute, hour or day as fits the range.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card } from "@/components/ui/card";
import { compact, int, usd } from "./format";

type Point = { bucket: string; group: string; tokens: number; requests: number; cost: number };
const stacks = { model: "model", key: "key", provider: "provider", endpoint: "endpoint", origin: "origin" } as const;
const stepMsOf = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const metrics = { tokens: "Tokens", requests: "Requests", cost: "Spend" } as const;
type Metric = keyof typeof metrics;
const palette = ["#e3550c", "#2563eb", "#16a34a", "#9333ea", "#0891b2", "#ca8a04", "#db2777", "#4b5563"];

export function UsageChart({ series, step, stack, from, to }: { series: Point[]; step: "minute" | "hour" | "day"; stack: keyof typeof stacks; from: string; to: string }) {
  const [metric, setMetric] = useState<Metric>("tokens");
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const setStack = (value: string) => {
    const next = new URLSearchParams(params.toString());
    next.set("stack", value);
    router.push(`${pathname}?${next.toString()}`);
  };
  const models = [...new Set(series.map((p) => p.group))];
  // Every bucket of the range, so gaps show as zero rather than as a line across them.
  const stepMs = stepMsOf[step];
  const start = Math.floor(Date.parse(from) / stepMs) * stepMs;
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
    if (i !== undefined) rows[i]![p.group] = (rows[i]![p.group] as number) + p[metric];
  }
  const label = (iso: string) => new Date(iso).toLocaleString("en-US", step === "day" ? { month: "short", day: "numeric", timeZone: "UTC" } : step === "hour" ? { month: "short", day: "numeric", hour: "2-digit" } : { hour: "2-digit", minute: "2-digit" });
  const format = (v: number) => (metric === "cost" ? usd(v) : int(v));
  return (
    <Card
      title={`${metrics[metric]} by ${stacks[stack]}`}
      description={step === "day" ? "Per day (UTC)" : step === "hour" ? "Per hour" : "Per minute"}
      actions={
        <div className="flex items-center gap-3">
        <label className="flex items-center gap-1 text-xs text-zinc-500">
          Stack by
          <select data-testid="stack-by" aria-label="Stack by" value={stack} onChange={(e) => setStack(e.target.value)} className="rounded border border-zinc-200 bg-white px-1 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-900">
            {Object.keys(stacks).map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <div role="tablist" aria-label="Chart metric" className="flex gap-1">
          {(Object.keys(metrics) as Metric[]).map((m) => (
            <button key={m} type="button" role="tab" aria-selected={metric === m} onClick={() => setMetric(m)} className={`rounded px-2 py-1 text-xs font-medium ${metric === m ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}>
              {metrics[m]}
            </button>
          ))}
        </div>
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
