// A job's status (fine-tuning or batch) as a coloured label: green done, red failed, amber in
// progress, grey cancelled.
const tone: Record<string, string> = {
  SUCCESS: "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-300",
  FAILED: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  FAILED_VALIDATION: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  TIMEOUT_EXCEEDED: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  CANCELLED: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  CANCELLATION_REQUESTED: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${tone[status] ?? "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300"}`}>{status.replace(/_/g, " ").toLowerCase()}</span>;
}
