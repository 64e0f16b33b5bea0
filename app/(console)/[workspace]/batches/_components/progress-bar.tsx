// How far a batch is: succeeded (green) and failed (red) shares of its lines, with the figures.
export function ProgressBar({ succeeded, failed, total, label }: { succeeded: number; failed: number; total: number; label: string }) {
  const pct = (n: number) => (total ? (n / total) * 100 : 0);
  const done = succeeded + failed;
  return (
    <div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} className="flex h-2.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800" data-testid="batch-progress">
        <div className="bg-green-500" style={{ width: `${pct(succeeded)}%` }} />
        <div className="bg-red-500" style={{ width: `${pct(failed)}%` }} />
      </div>
      <p className="mt-1 text-xs tabular-nums text-zinc-500">
        {done.toLocaleString("en-US")} of {total.toLocaleString("en-US")} ({Math.floor(pct(done))}%)
      </p>
    </div>
  );
}
