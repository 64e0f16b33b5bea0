"use client";
// Code completion (fill-in-the-middle): a prefix and a suffix; the completion is shown in place,
// highlighted between them.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, controlClass } from "@/components/ui/field";
import type { PlaygroundModel } from "./settings-panel";

type Result = { completion: string; promptTokens: number; completionTokens: number; ms: number; cost: number };

export function FimPlayground({ workspace, models }: { workspace: string; models: PlaygroundModel[] }) {
  const [model, setModel] = useState(models[0]?.alias ?? "");
  const [prefix, setPrefix] = useState("def fibonacci(n):\n");
  const [suffix, setSuffix] = useState("\n\nprint(fibonacci(10))");
  const [result, setResult] = useState<Result>();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  if (models.length === 0) return <p className="text-sm text-zinc-500">No model of this workspace does fill-in-the-middle. An administrator can add one (for example Codestral) with the FIM capability.</p>;

  async function complete() {
    setPending(true);
    setError(undefined);
    const started = performance.now();
    try {
      const res = await fetch("/api/playground/fim", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ workspace, model, prompt: prefix, suffix }) });
      const body = (await res.json()) as { message?: string; choices?: { message?: { content?: string } }[]; usage?: { prompt_tokens: number; completion_tokens: number } };
      if (!res.ok) throw new Error(body.message ?? `The request failed (${res.status}).`);
      const m = models.find((x) => x.alias === model)!;
      const usage = body.usage ?? { prompt_tokens: 0, completion_tokens: 0 };
      setResult({ completion: body.choices?.[0]?.message?.content ?? "", promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, ms: Math.round(performance.now() - started), cost: (usage.prompt_tokens * m.inputPrice + usage.completion_tokens * m.outputPrice) / 1e6 });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(false);
    }
  }

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void complete();
    }
  };

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <Field id="fim-model" label="Code model">
          <Select id="fim-model" value={model} onChange={(e) => setModel(e.target.value)}>
            {models.map((m) => (
              <option key={m.alias}>{m.alias}</option>
            ))}
          </Select>
        </Field>
        <Field id="fim-prefix" label="Before the cursor (prompt)">
          <textarea id="fim-prefix" rows={8} spellCheck={false} value={prefix} onChange={(e) => setPrefix(e.target.value)} onKeyDown={onKey} className={`${controlClass} font-mono text-xs`} />
        </Field>
        <Field id="fim-suffix" label="After the cursor (suffix)">
          <textarea id="fim-suffix" rows={5} spellCheck={false} value={suffix} onChange={(e) => setSuffix(e.target.value)} onKeyDown={onKey} className={`${controlClass} font-mono text-xs`} />
        </Field>
        <Button onClick={() => void complete()} disabled={pending || !model}>
          {pending ? "Completing…" : "Complete (Ctrl+Enter)"}
        </Button>
        {error ? (
          <p role="alert" className="text-sm text-red-600" data-testid="fim-error">
            {error}
          </p>
        ) : null}
      </div>
      <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="text-sm font-semibold">Completion in place</h2>
        {result ? (
          <>
            <pre className="mt-3 overflow-x-auto rounded-md bg-zinc-950 p-3 font-mono text-xs leading-relaxed text-zinc-400" data-testid="fim-result">
              {prefix}
              <mark className="rounded-sm bg-brand-500/30 text-zinc-50" data-testid="fim-completion">
                {result.completion}
              </mark>
              {suffix}
            </pre>
            <p className="mt-2 text-xs text-zinc-500">
              {result.ms} ms · {result.promptTokens} in / {result.completionTokens} out · ${result.cost.toFixed(6)}
            </p>
          </>
        ) : (
          <p className="mt-3 text-sm text-zinc-500">The model fills the gap between the two editors; its text is highlighted here.</p>
        )}
      </div>
    </div>
  );
}
