"use client";
// The chat with its kept conversations beside it. Opening one is a link (?conversation=id), so a
// reload keeps it open; the chat is mounted afresh for each conversation opened or started.
import { useState } from "react";
import type { Message, Settings } from "@/lib/playground/settings";
import { ChatPlayground } from "./chat-playground";
import { ConversationList, type ConversationItem } from "./conversation-list";
import type { PresetView } from "./presets-panel";
import type { PlaygroundModel } from "./settings-panel";

export type OpenedConversation = { id: string; settings: Settings; messages: Message[] };

type Props = { workspace: string; models: PlaygroundModel[]; presets: PresetView[]; conversations: ConversationItem[]; opened?: OpenedConversation; openError?: string; start?: { prompt?: string; system?: string } };

export function KeptChat({ workspace, models, presets, conversations, opened, openError, start }: Props) {
  // What the chat was mounted with. A new mount when another conversation is opened through its
  // link, or a new one started; not when a refresh after a save merely drops the link's id.
  const [mounted, setMounted] = useState({ key: 0, openId: opened?.id });
  // The conversation being kept: the opened one, or the new one once its first answer is saved.
  const [keptId, setKeptId] = useState<string | undefined>(opened?.id);
  const [seenId, setSeenId] = useState(opened?.id);
  if (opened?.id !== seenId) {
    setSeenId(opened?.id);
    if (opened) {
      setMounted({ key: mounted.key + 1, openId: opened.id });
      setKeptId(opened.id);
    }
  }
  // The link to the old conversation goes, so a reload does not bring it back.
  const leave = () => window.history.replaceState(null, "", `/${workspace}/playground`);

  function startNew() {
    setKeptId(undefined);
    setMounted({ key: mounted.key + 1, openId: undefined });
    leave();
  }

  return (
    <div className="grid gap-6 xl:grid-cols-[13rem_minmax(0,1fr)] xl:items-start">
      <ConversationList workspace={workspace} conversations={conversations} currentId={keptId} onNew={startNew} />
      <div className="min-w-0 space-y-3">
        {openError ? (
          <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950/40 dark:text-amber-300">
            {openError}
          </p>
        ) : null}
        <ChatPlayground
          key={mounted.key}
          workspace={workspace}
          models={models}
          presets={presets}
          opened={opened?.id === mounted.openId ? opened : undefined}
          start={mounted.openId ? undefined : start}
          onKept={setKeptId}
          onStartOver={() => {
            // Clear keeps the settings: the same chat goes on as a new conversation.
            setKeptId(undefined);
            if (mounted.openId) {
              setMounted({ key: mounted.key, openId: undefined });
              leave();
            }
          }}
        />
      </div>
    </div>
  );
}
