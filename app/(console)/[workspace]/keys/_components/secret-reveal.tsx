"use client";
// The new key's secret, shown once, with ready-to-paste snippets that read it from the environment.
import { useState, useSyncExternalStore } from "react";
import { CopyButton } from "@/components/ui/copy-button";

const tabs = ["curl", "TypeScript", "Python"] as const;

function snippet(tab: (typeof tabs)[number], origin: string): string {
  if (tab === "curl")
    return `export BORA_API_KEY=…   # the key above\ncurl ${origin}/v1/chat/completions \\\n  -H "Authorization: Bearer $BORA_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": "MODEL", "messages": [{"role": "user", "content": "Hello"}]}'`;
  if (tab === "TypeScript")
    return `import { Mistral } from "@mistralai/mistralai";\n\nconst client = new Mistral({ apiKey: process.env.BORA_API_KEY, serverURL: "${origin}" });\nconst res = await client.chat.complete({ model: "MODEL", messages: [{ role: "user", content: "Hello" }] });\nconsole.log(res.choices?.[0]?.message?.content);`;
  return `import os\nfrom mistralai import Mistral\n\nclient = Mistral(api_key=os.environ["BORA_API_KEY"], server_url="${origin}")\nres = client.chat.complete(model="MODEL", messages=[{"role": "user", "content": "Hello"}])\nprint(res.choices[0].message.content)`;
}

const subscribe = () => () => {};

export function SecretReveal({ secret }: { secret: string }) {
  const [tab, setTab] = useState<(typeof tabs)[number]>("curl");
  const origin = useSyncExternalStore(subscribe, () => window.location.origin, () => "");
  return (
    <div className="space-y-3 border-t border-zinc-200 p-5 dark:border-zinc-800" data-testid="new-key">
      <p className="text-sm font-medium text-emerald-700 dark:text-emerald-400">Copy the key now: it will not be shown again.</p>
      <div className="flex items-center gap-2">
        <input readOnly value={secret} aria-label="New API key" data-testid="new-key-secret" onFocus={(e) => e.currentTarget.select()} className="min-w-0 flex-1 rounded border border-zinc-300 bg-zinc-50 px-2 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950" />
        <CopyButton value={secret} label="Copy key" />
      </div>
      <div role="tablist" aria-label="Snippet language" className="flex gap-1">
        {tabs.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)} className={`rounded px-2 py-1 text-xs font-medium ${tab === t ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}>
            {t}
          </button>
        ))}
      </div>
      <pre role="tabpanel" className="overflow-x-auto rounded-md bg-zinc-950 p-3 text-xs leading-relaxed text-zinc-100">{snippet(tab, origin)}</pre>
    </div>
  );
}
