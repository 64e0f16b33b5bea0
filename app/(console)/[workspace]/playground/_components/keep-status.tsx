"use client";
// Whether the conversation is kept: said quietly under the message box, failures in red.
import type { KeepStatus } from "./use-keep-conversation";

const words = { idle: "\u00a0", saving: "Keeping…", saved: "Kept" };

export function KeepStatusLine({ status }: { status: KeepStatus }) {
  return (
    <p role="status" className={status.state === "error" ? "text-right text-red-600 dark:text-red-400" : "shrink-0"} title={status.state === "saved" ? "Kept in your conversations, beside the chat" : undefined} data-testid="keep-status">
      {status.state === "error" ? status.message : words[status.state]}
    </p>
  );
}
