// Shown for unknown paths and for workspaces the person does not belong to (deliberately the same).
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center" data-testid="not-found">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Nothing here</h1>
      <p className="mt-2 max-w-sm text-sm text-zinc-500">This page does not exist, or it belongs to a workspace you are not a member of.</p>
      <Link href="/" className={`${buttonClass("secondary")} mt-6`}>
        Back to your workspaces
      </Link>
    </main>
  );
}
