"use client";
// The pieces the console's wizards share: the numbered steps, and the last step's footer (back,
// what is happening now, and the button that does it).
import { Button } from "./button";

export function WizardSteps({ labels, step }: { labels: string[]; step: number }) {
  return (
    <ol className="flex flex-wrap gap-2 text-sm" aria-label="Wizard steps">
      {labels.map((label, i) => (
        <li key={label} aria-current={step === i + 1 ? "step" : undefined} className={`rounded-full px-3 py-1 ${step === i + 1 ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400"}`}>
          {i + 1}. {label}
        </li>
      ))}
    </ol>
  );
}

type FooterProps = { error?: string | null; busy: string | null; pending: boolean; onBack: () => void; onSubmit: () => void; label: string };

export function WizardFinish({ error, busy, pending, onBack, onSubmit, label }: FooterProps) {
  return (
    <>
      {error ? (
        <p role="alert" className="px-5 pb-3 text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <div className="flex items-center justify-between border-t border-zinc-200 p-5 dark:border-zinc-800">
        <Button variant="secondary" onClick={onBack}>
          Back
        </Button>
        <div className="flex items-center gap-3">
          {busy ? (
            <span role="status" className="text-sm text-zinc-500">
              {busy}
            </span>
          ) : null}
          <Button disabled={Boolean(busy) || pending} onClick={onSubmit}>
            {label}
          </Button>
        </div>
      </div>
    </>
  );
}
