"use client";
// What the line-by-line check found in a dataset: counts, then each bad line in context (the
// line before and after), with the field and the reason.
import type { DatasetReport } from "@/lib/datasets/validate";

export function DatasetReportView({ report, lines }: { report: DatasetReport; lines: string[] }) {
  const ok = report.errors.length === 0;
  return (
    <div className="space-y-4" data-testid="dataset-report">
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        {[
          ["Lines", report.lines],
          ["Valid", report.validLines],
          ["Tokens (about)", report.totalTokens],
          ["Duplicates", report.duplicates.length],
        ].map(([label, value]) => (
          <div key={label} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
            <dt className="text-xs text-zinc-500">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums">{Number(value).toLocaleString("en-US")}</dd>
          </div>
        ))}
      </dl>
      {ok ? (
        <p className="rounded-md bg-green-50 p-3 text-sm text-green-800 dark:bg-green-950 dark:text-green-300" role="status">
          Every line is a valid conversation{report.duplicates.length ? `; ${report.duplicates.length} repeat an earlier line (kept, but they weigh twice)` : ""}.
        </p>
      ) : (
        <div role="alert" className="space-y-3">
          <p className="text-sm font-medium text-red-700 dark:text-red-400">
            {report.errors.length + report.truncatedErrors} problem{report.errors.length + report.truncatedErrors === 1 ? "" : "s"} to fix before training:
          </p>
          <ul className="space-y-3">
            {report.errors.slice(0, 20).map((e, i) => (
              <li key={i} className="rounded-md border border-red-200 dark:border-red-900" data-testid="dataset-error">
                <p className="border-b border-red-200 px-3 py-2 text-sm dark:border-red-900">
                  <strong>Line {e.line}</strong>
                  {e.field ? <span className="font-mono text-xs"> · {e.field}</span> : null}: {e.reason}
                </p>
                <pre className="overflow-x-auto px-3 py-2 text-xs leading-5">
                  {[e.line - 1, e.line, e.line + 1]
                    .filter((n) => n >= 1 && n <= lines.length)
                    .map((n) => (
                      <div key={n} className={n === e.line ? "bg-red-50 dark:bg-red-950" : "text-zinc-500"}>
                        <span className="mr-3 inline-block w-8 select-none text-right text-zinc-400">{n}</span>
                        {truncate(lines[n - 1] ?? "")}
                      </div>
                    ))}
                </pre>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

const truncate = (s: string) => (s.length > 160 ? `${s.slice(0, 160)}…` : s);
