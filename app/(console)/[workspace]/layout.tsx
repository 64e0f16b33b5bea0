// The workspace shell: sidebar with the switcher and navigation, top bar with the person.
import Link from "next/link";
import type { ReactNode } from "react";
import { Sidebar } from "@/components/shell/sidebar";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { UserMenu } from "@/components/shell/user-menu";
import { WorkspaceSwitcher } from "@/components/shell/workspace-switcher";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { BudgetNotice } from "@/components/shell/budget-notice";
import { monthOf } from "@/lib/gateway/limits/monthly-quota";
import { budgetUsage } from "@/lib/gateway/limits/spend-budget";
import { listWorkspaces } from "@/lib/services/workspaces";

export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireWorkspace(slug);
  const db = await getDb();
  const w = ctx.workspace;
  const [all, budget] = await Promise.all([listWorkspaces(db, ctx), w.monthlySpendCapNanos ? budgetUsage(db, w.id, monthOf(new Date(), w.timeZone)) : null]);
  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm dark:focus:bg-zinc-900">
        Skip to content
      </a>
      <aside className="sticky top-0 flex h-screen w-60 shrink-0 flex-col border-r border-zinc-200 bg-white px-3 py-4 dark:border-zinc-800 dark:bg-zinc-900">
        <Link href={`/${slug}/playground`} className="mb-4 flex items-center gap-2 px-3">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span className="text-lg font-semibold tracking-tight">Bora</span>
        </Link>
        <div className="mb-6">
          <WorkspaceSwitcher current={slug} workspaces={all.map((w) => ({ slug: w.slug, name: w.name, role: w.role }))} />
        </div>
        <div className="flex-1 overflow-y-auto">
          <Sidebar workspace={slug} />
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between border-b border-zinc-200 bg-white/80 px-6 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/80">
          <div className="text-sm text-zinc-500" data-testid="workspace-name">
            {ctx.workspace.name}
          </div>
          <div className="flex items-center gap-2">
            <ThemeToggle />
            <UserMenu email={ctx.user.email} role={ctx.role} />
          </div>
        </header>
        {budget ? <BudgetNotice workspace={slug} notifiedPercent={budget.notifiedPercent} spentUsd={budget.usedNanos / 1e9} capUsd={w.monthlySpendCapNanos! / 1e9} /> : null}
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-6 py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
