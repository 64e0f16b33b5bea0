"use client";
// A button that asks before it acts: for changes that clients of a key or a person will feel.
import type { ReactNode } from "react";
import { Button } from "./button";

type Props = { label: string; question: string; onConfirm: () => void; disabled?: boolean; variant?: "secondary" | "danger" | "ghost"; title?: string; children: ReactNode };

export function ConfirmButton({ label, question, onConfirm, disabled, variant = "danger", title, children }: Props) {
  return (
    <Button
      variant={variant}
      disabled={disabled}
      aria-label={label}
      title={title}
      onClick={() => {
        if (confirm(question)) onConfirm();
      }}
    >
      {children}
    </Button>
  );
}
