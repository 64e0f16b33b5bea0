// /workspaces/new: anyone signed in can start a workspace and becomes its owner.
import type { Metadata } from "next";
import { NewWorkspaceForm } from "./new-workspace-form";

export const metadata: Metadata = { title: "New workspace" };

export default function NewWorkspacePage() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-xl font-semibold">Create a workspace</h1>
        <p className="mt-1 text-sm text-zinc-500">A workspace holds its own keys, usage, files and jobs. You will be its owner.</p>
        <NewWorkspaceForm />
      </div>
    </main>
  );
}
