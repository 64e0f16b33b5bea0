"use client";
import { Bot, User, Wrench } from "lucide-react";
import { Markdown } from "@/components/playground/markdown";
import { ToolCalls } from "./tool-calls";
import type { Message } from "./use-chat";

type Props = { messages: Message[]; streaming: boolean; onEdit?: (index: number, content: string) => void; onToolResults?: (results: Record<string, string>) => void };

export function MessageList({ messages, streaming, onEdit, onToolResults }: Props) {
  if (messages.length === 0) {
    return <div className="flex flex-1 items-center justify-center p-8 text-center text-sm text-zinc-500">Send a message to start. Answers stream in as the model writes them.</div>;
  }
  return (
    <ol className="flex-1 space-y-4 overflow-y-auto p-4" aria-live="polite" data-testid="messages">
      {messages.map((m, i) => {
        const last = i === messages.length - 1;
        const Icon = m.role === "user" ? User : m.role === "tool" ? Wrench : Bot;
        return (
          <li key={i} className="flex gap-3" data-testid={`message-${m.role}`}>
            <span aria-hidden className={`mt-0.5 flex h-7 w-7 shrink-0 items-center justify-center rounded-full ${m.role === "user" ? "bg-zinc-200 dark:bg-zinc-800" : "bg-brand-100 text-brand-700 dark:bg-brand-600/20 dark:text-brand-500"}`}>
              <Icon className="h-4 w-4" />
            </span>
            <div className="min-w-0 flex-1">
              <div className="text-xs font-medium text-zinc-500">{m.role === "user" ? "You" : m.role === "tool" ? `Result of ${m.name}` : "Assistant"}</div>
              {onEdit && m.role === "user" ? (
                <textarea
                  aria-label={`Edit message ${i + 1}`}
                  value={m.content}
                  onChange={(e) => onEdit(i, e.target.value)}
                  rows={Math.min(8, m.content.split("\n").length)}
                  className="mt-1 w-full resize-y rounded border border-transparent bg-transparent p-0 text-sm hover:border-zinc-200 focus:border-zinc-300 dark:hover:border-zinc-700"
                />
              ) : m.role === "tool" ? (
                <pre className="mt-1 overflow-x-auto font-mono text-xs">{m.content}</pre>
              ) : m.role === "assistant" ? (
                <div className="mt-1 break-words">
                  {m.content ? <Markdown text={m.content} /> : null}
                  {m.toolCalls?.length ? <ToolCalls calls={m.toolCalls} onResults={last && !streaming ? onToolResults : undefined} /> : null}
                  {streaming && last ? <span aria-hidden className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-brand-500 align-middle" /> : null}
                </div>
              ) : (
                <div className="mt-1 whitespace-pre-wrap break-words text-sm leading-relaxed">{m.content}</div>
              )}
              {m.images?.length ? (
                <div className="mt-2 flex flex-wrap gap-2">
                  {m.images.map((src, j) => (
                    // eslint-disable-next-line @next/next/no-img-element
                    <img key={j} src={src} alt={`Image ${j + 1} of the message`} className="h-20 w-20 rounded border border-zinc-200 object-cover dark:border-zinc-700" />
                  ))}
                </div>
              ) : null}
              {m.omittedImages ? (
                <p className="mt-1 text-xs text-zinc-500">
                  {m.omittedImages} image{m.omittedImages === 1 ? " was" : "s were"} too large to keep with the conversation.
                </p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
