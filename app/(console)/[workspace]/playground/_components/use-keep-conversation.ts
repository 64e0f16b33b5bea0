"use client";
// Keeps the conversation as the member goes: once an answer is complete (or stopped), and after
// an edit or a tool result, it is saved with the current settings. Saves run one after another,
// so the first one's id is known before the next: a new conversation is created only once.
import { useAction } from "next-safe-action/hooks";
import { useEffect, useMemo, useRef, useState } from "react";
import { keptMessages, maxConversationChars, type Message, type Settings } from "@/lib/playground/settings";
import { saveConversationAction } from "../actions";

export type KeepStatus = { state: "idle" | "saving" | "saved" } | { state: "error"; message: string };

// Typing in an edited message saves once the typing pauses, not on every keystroke.
const pauseMs = 700;

type Options = { workspace: string; openedId?: string; messages: Message[]; streaming: boolean; settings: Settings; onKept: (id: string) => void };

export function useKeepConversation({ workspace, openedId, messages, streaming, settings, onKept }: Options) {
  const id = useRef(openedId);
  // Not while streaming: the messages change with every token then.
  const body = useMemo(() => (streaming || !messages.some((m) => m.role === "assistant" && (m.content || m.toolCalls?.length)) ? null : JSON.stringify(messages)), [messages, streaming]);
  const [saved, setSaved] = useState(() => JSON.stringify(messages));
  const [error, setError] = useState<{ body: string; message: string }>();
  const queue = useRef(Promise.resolve());
  const { executeAsync } = useAction(saveConversationAction);
  // Read when a save runs, not when it is scheduled: a render alone must not restart the pause.
  const latest = useRef({ settings, onKept, executeAsync, saved });
  useEffect(() => {
    latest.current = { settings, onKept, executeAsync, saved };
  });

  useEffect(() => {
    if (body === null || body === saved) return;
    const timer = setTimeout(() => {
      queue.current = queue.current.then(async () => {
        if (body === latest.current.saved) return;
        const data = { settings: latest.current.settings, messages: keptMessages(JSON.parse(body) as Message[]) };
        // Checked here too, so a too-large conversation is not sent only to be refused.
        if (JSON.stringify(data).length > maxConversationChars) return setError({ body, message: "Too large to keep; start a new conversation to keep going." });
        try {
          const result = await latest.current.executeAsync({ workspace, ...(id.current ? { id: id.current } : {}), ...data });
          if (!result?.data) return setError({ body, message: result?.serverError?.message ?? "Could not keep this conversation." });
          id.current = result.data.id;
          setSaved(body);
          latest.current.onKept(result.data.id);
        } catch {
          setError({ body, message: "Could not keep this conversation: the server did not answer." });
        }
      });
    }, pauseMs);
    return () => clearTimeout(timer);
  }, [body, saved, workspace]);

  const status: KeepStatus = body === null ? { state: "idle" } : error?.body === body ? { state: "error", message: error.message } : body === saved ? { state: "saved" } : { state: "saving" };
  return {
    status,
    /** After Clear: what comes next is a new conversation; the kept one stays in the list. */
    startOver() {
      id.current = undefined;
      setSaved("[]");
      setError(undefined);
    },
  };
}
