// An honest empty state: what this area will hold, and the first step to fill it.
import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

export function EmptyState({ icon: Icon, title, children, action }: { icon: LucideIcon; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-14 text-center dark:border-zinc-700 dark:bg-zinc-900/50">
      <div className="rounded-full bg-brand-50 p-3 text-brand-600 dark:bg-brand-600/10 dark:text-brand-500">
        <Icon aria-hidden className="h-6 w-6" />
      </div>
      <h2 className="mt-4 text-base font-semibold">{title}</h2>
      <div className="mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
      {action ? <div className="mt-6">{action}</div> : null}
    </div>
  );
}
