"use client";
// "Get code": the current request as curl, TypeScript or Python.
import { useState, useSyncExternalStore } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { curlSnippet, pythonSnippet, typescriptSnippet, type SnippetRequest } from "./code-snippets";

const tabs = { curl: curlSnippet, TypeScript: typescriptSnippet, Python: pythonSnippet } as const;
type Tab = keyof typeof tabs;
const subscribe = () => () => {};

export function CodePanel({ request }: { request: SnippetRequest }) {
  const [tab, setTab] = useState<Tab>("curl");
  const origin = useSyncExternalStore(subscribe, () => window.location.origin, () => "");
  const code = tabs[tab](origin, request);
  return (
    <div className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" data-testid="code-panel">
      <div className="flex items-center justify-between">
        <div role="tablist" aria-label="Language" className="flex gap-1">
          {(Object.keys(tabs) as Tab[]).map((t) => (
            <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)} className={`rounded px-2 py-1 text-xs font-medium ${tab === t ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}>
              {t}
            </button>
          ))}
        </div>
        <CopyButton value={code} label="Copy code" />
      </div>
      <pre role="tabpanel" className="max-h-80 overflow-auto rounded-md bg-zinc-950 p-3 text-xs leading-relaxed text-zinc-100">{code}</pre>
      <p className="text-xs text-zinc-500">Set BORA_API_KEY to a key from the API keys page.</p>
    </div>
  );
}
