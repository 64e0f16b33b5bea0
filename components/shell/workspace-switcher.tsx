"use client";
// Switches between the workspaces the person belongs to, keeping the current area.
import { usePathname, useRouter } from "next/navigation";
import { ChevronsUpDown } from "lucide-react";

export type SwitcherWorkspace = { slug: string; name: string; role: string };

export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: SwitcherWorkspace[] }) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <div className="relative">
      <label htmlFor="workspace-switcher" className="sr-only">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        data-testid="workspace-switcher"
        value={current}
        onChange={(e) => {
          const value = e.target.value;
          if (value === "__new") return router.push("/workspaces/new");
          const rest = pathname.split("/").slice(2).join("/") || "playground";
          router.push(`/${value}/${rest}`);
        }}
        className="w-full appearance-none rounded-md border border-zinc-200 bg-white py-2 pl-3 pr-8 text-sm font-medium shadow-xs hover:border-zinc-300 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
      >
        {workspaces.map((w) => (
          <option key={w.slug} value={w.slug}>
            {w.name}
          </option>
        ))}
        <option value="__new">+ New workspace…</option>
      </select>
      <ChevronsUpDown aria-hidden className="pointer-events-none absolute right-2.5 top-2.5 h-4 w-4 text-zinc-400" />
    </div>
  );
}
