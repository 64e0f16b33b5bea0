// The in-console notice of a budget threshold: shown on every page of the workspace once this
// month's spend has reached one (the same moment its webhook is called), until the month ends.
import Link from "next/link";
import { AlertTriangle } from "lucide-react";

type Props = { workspace: string; notifiedPercent: number; spentUsd: number; capUsd: number | null };

export function BudgetNotice({ workspace, notifiedPercent, spentUsd, capUsd }: Props) {
  if (!capUsd || notifiedPercent <= 0) return null;
  const exhausted = notifiedPercent >= 100;
  return (
    <div role="status" data-testid="budget-notice" className={`flex items-center gap-2 border-b px-6 py-2 text-sm ${exhausted ? "border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200" : "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"}`}>
      <AlertTriangle aria-hidden className="h-4 w-4 shrink-0" />
      <span>
        {exhausted ? "This workspace has reached its monthly spend cap: requests are refused until the month ends or the cap is raised." : `This workspace has used ${notifiedPercent}% or more of its monthly spend cap.`} ${spentUsd.toFixed(2)} of ${capUsd.toFixed(2)}.{" "}
        <Link href={`/${workspace}/settings`} className="font-medium underline">
          Budget settings
        </Link>
      </span>
    </div>
  );
}
