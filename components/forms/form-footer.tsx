// The foot of a console form: its error that belongs to no field, then the submit button with
// its pending label and a "Saved." that screen readers announce. Extra buttons go before it.
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

type Props = { error?: string; pending: boolean; saved: boolean; label?: string; children?: ReactNode };

export function FormFooter({ error, pending, saved, label = "Save", children }: Props) {
  return (
    <>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <div className="flex items-center gap-3">
        {children}
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : label}
        </Button>
        {saved ? (
          <span className="text-sm text-emerald-600" role="status">
            Saved.
          </span>
        ) : null}
      </div>
    </>
  );
}
