"use client";
// Training and validation loss over steps, from the job's checkpoints; grows as they arrive.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

type Point = { step: number; train_loss: number | null; valid_loss: number | null };

export function LossChart({ points }: { points: Point[] }) {
  const hasValid = points.some((p) => p.valid_loss !== null);
  return (
    <div className="h-72" data-testid="loss-chart" data-points={points.length}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" className="text-zinc-200 dark:text-zinc-800" />
          <XAxis dataKey="step" type="number" domain={["dataMin", "dataMax"]} tick={{ fontSize: 12, fill: "currentColor" }} className="text-zinc-500" label={{ value: "step", position: "insideBottomRight", offset: -4, fontSize: 12, fill: "currentColor" }} />
          <YAxis tick={{ fontSize: 12, fill: "currentColor" }} className="text-zinc-500" width={48} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} labelFormatter={(s) => `Step ${s}`} contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="monotone" dataKey="train_loss" name="Training loss" stroke="#e3550c" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
          {hasValid ? <Line type="monotone" dataKey="valid_loss" name="Validation loss" stroke="#2563eb" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} /> : null}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
