"use client";
// The model's tool calls as cards; the person types each result and sends them back.
import { Wrench } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import type { ToolCall } from "./use-chat";

function pretty(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

export function ToolCalls({ calls, onResults }: { calls: ToolCall[]; onResults?: (results: Record<string, string>) => void }) {
  const [results, setResults] = useState<Record<string, string>>({});
  const complete = calls.every((c) => (results[c.id] ?? "").trim());
  return (
    <div className="mt-2 space-y-2">
      {calls.map((c, i) => (
        <div key={c.id || i} className="rounded-md border border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-700 dark:bg-zinc-950/40" data-testid="tool-call">
          <div className="flex items-center gap-2 text-xs font-medium">
            <Wrench aria-hidden className="h-3.5 w-3.5" /> <span className="font-mono">{c.name}</span>
          </div>
          <pre className="mt-1 overflow-x-auto font-mono text-xs text-zinc-600 dark:text-zinc-400">{pretty(c.arguments)}</pre>
          {onResults ? (
            <label className="mt-2 block text-xs font-medium text-zinc-500">
              Result of {c.name}
              <textarea rows={2} value={results[c.id] ?? ""} onChange={(e) => setResults({ ...results, [c.id]: e.target.value })} placeholder='{"temperature": 21}' className={`${controlClass} mt-1 font-mono text-xs`} />
            </label>
          ) : null}
        </div>
      ))}
      {onResults ? (
        <Button onClick={() => onResults(results)} disabled={!complete}>
          Send {calls.length > 1 ? `${calls.length} results` : "result"}
        </Button>
      ) : null}
    </div>
  );
}
