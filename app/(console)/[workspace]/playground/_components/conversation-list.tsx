"use client";
// The member's kept conversations, most recent first: open one (with its settings), rename it,
// delete it, or start a new one. Only their author ever sees them.
import { Check, MessageSquarePlus, Pencil, Trash2, X } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { controlClass } from "@/components/ui/field";
import { useFormAction } from "@/components/forms/use-form-action";
import { deleteConversationAction, renameConversationAction } from "../actions";

export type ConversationItem = { id: string; title: string; model: string };

type Props = { workspace: string; conversations: ConversationItem[]; currentId?: string; onNew: () => void };

function Rename({ workspace, item, onDone }: { workspace: string; item: ConversationItem; onDone: () => void }) {
  const [title, setTitle] = useState(item.title);
  const rename = useFormAction(renameConversationAction, { onSuccess: onDone });
  const error = rename.fieldError("title") ?? rename.formError;
  return (
    <form
      className="space-y-1 p-1"
      onSubmit={(e) => {
        e.preventDefault();
        rename.execute({ workspace, id: item.id, title });
      }}
    >
      <div className="flex gap-1">
        <label htmlFor={`rename-${item.id}`} className="sr-only">
          Title of the conversation
        </label>
        <input id={`rename-${item.id}`} autoFocus value={title} onChange={(e) => setTitle(e.target.value)} onKeyDown={(e) => e.key === "Escape" && onDone()} aria-invalid={error ? true : undefined} className={`${controlClass} py-1`} />
        <Button type="submit" variant="ghost" className="px-2" aria-label="Save the title" disabled={rename.isPending}>
          <Check aria-hidden className="h-4 w-4" />
        </Button>
        <Button variant="ghost" className="px-2" aria-label="Cancel renaming" onClick={onDone}>
          <X aria-hidden className="h-4 w-4" />
        </Button>
      </div>
      {error ? (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function ConversationList({ workspace, conversations, currentId, onNew }: Props) {
  const [renaming, setRenaming] = useState<string>();
  const remove = useFormAction(deleteConversationAction);

  function onDelete(id: string) {
    // The open one goes first: a new one starts, and the page refreshed after the deletion no
    // longer points at it.
    if (id === currentId) onNew();
    remove.execute({ workspace, id });
  }
  return (
    <nav aria-label="Conversations" className="space-y-2 rounded-lg border border-zinc-200 bg-white p-3 shadow-xs dark:border-zinc-800 dark:bg-zinc-900" data-testid="conversation-list">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Conversations</h2>
        <Button variant="ghost" className="px-2 py-1" onClick={onNew}>
          <MessageSquarePlus aria-hidden className="h-4 w-4" /> New
        </Button>
      </div>
      {remove.formError ? (
        <p role="alert" className="text-xs text-red-600">
          {remove.formError}
        </p>
      ) : null}
      {conversations.length === 0 ? (
        <p className="text-xs text-zinc-500">Each conversation is kept here after its first answer. Only you see yours.</p>
      ) : (
        <ul className="max-h-[28rem] space-y-0.5 overflow-y-auto">
          {conversations.map((c) =>
            renaming === c.id ? (
              <li key={c.id}>
                <Rename workspace={workspace} item={c} onDone={() => setRenaming(undefined)} />
              </li>
            ) : (
              <li key={c.id} className={`group flex items-center gap-1 rounded-md ${c.id === currentId ? "bg-zinc-100 dark:bg-zinc-800" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/60"}`} data-testid="conversation-item">
                <Link href={`/${workspace}/playground?conversation=${c.id}`} aria-current={c.id === currentId ? "page" : undefined} title={c.title} className="min-w-0 flex-1 rounded-md px-2 py-1.5 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/40">
                  <span className="block truncate text-sm text-zinc-800 dark:text-zinc-100">{c.title}</span>
                  <span className="block truncate font-mono text-[11px] text-zinc-500">{c.model}</span>
                </Link>
                <Button variant="ghost" className="px-1.5 py-1" aria-label={`Rename ${c.title}`} onClick={() => setRenaming(c.id)}>
                  <Pencil aria-hidden className="h-3.5 w-3.5" />
                </Button>
                <ConfirmButton variant="ghost" label={`Delete ${c.title}`} question={`Delete the conversation "${c.title}"?`} disabled={remove.isPending} onConfirm={() => onDelete(c.id)}>
                  <Trash2 aria-hidden className="h-3.5 w-3.5" />
                </ConfirmButton>
              </li>
            ),
          )}
        </ul>
      )}
    </nav>
  );
}
