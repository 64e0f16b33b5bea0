"use client";
import { LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

export function UserMenu({ email, role }: { email: string; role: string }) {
  return (
    <div className="flex items-center gap-3">
      <div className="hidden text-right sm:block">
        <div className="text-sm font-medium" data-testid="user-email">
          {email}
        </div>
        <div className="text-xs capitalize text-zinc-500">{role}</div>
      </div>
      <span aria-hidden className="flex h-8 w-8 items-center justify-center rounded-full bg-zinc-200 text-sm font-semibold uppercase text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200">
        {email.slice(0, 1)}
      </span>
      <Button variant="ghost" onClick={() => signOut({ callbackUrl: "/login" })} aria-label="Sign out" title="Sign out">
        <LogOut aria-hidden className="h-4 w-4" />
      </Button>
    </div>
  );
}
