"use client";
// The console's navigation: every area of the workspace, grouped, with the current one marked.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { areas } from "@/lib/console/areas";

const groups = ["Build", "Operate", "Workspace"] as const;

export function Sidebar({ workspace }: { workspace: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="space-y-6">
      {groups.map((group) => (
        <div key={group}>
          <h2 className="px-3 text-xs font-semibold uppercase tracking-wider text-zinc-500 dark:text-zinc-500">{group}</h2>
          <ul className="mt-2 space-y-0.5">
            {areas
              .filter((a) => a.group === group)
              .map((area) => {
                const href = `/${workspace}/${area.segment}`;
                const active = pathname === href || pathname.startsWith(href + "/");
                const Icon = area.icon;
                return (
                  <li key={area.segment}>
                    <Link
                      href={href}
                      aria-current={active ? "page" : undefined}
                      className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors ${
                        active
                          ? "bg-brand-50 text-brand-700 dark:bg-brand-600/15 dark:text-brand-500"
                          : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100"
                      }`}
                    >
                      <Icon aria-hidden className="h-4 w-4" />
                      {area.label}
                    </Link>
                  </li>
                );
              })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
