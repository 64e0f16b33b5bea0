"use client";
// Chat or code completion.
import { useState } from "react";
import type { ConversationItem } from "./conversation-list";
import { FimPlayground } from "./fim-playground";
import { KeptChat, type OpenedConversation } from "./kept-chat";
import type { PresetView } from "./presets-panel";
import type { PlaygroundModel } from "./settings-panel";

type Props = { workspace: string; chatModels: PlaygroundModel[]; fimModels: PlaygroundModel[]; presets: PresetView[]; conversations: ConversationItem[]; opened?: OpenedConversation; openError?: string; start?: { prompt?: string; system?: string } };

export function PlaygroundModes({ workspace, chatModels, fimModels, presets, conversations, opened, openError, start }: Props) {
  const [mode, setMode] = useState<"chat" | "fim">("chat");
  // Mounted on first use, then kept: switching back and forth keeps both modes' work.
  const [fimOpened, setFimOpened] = useState(false);
  return (
    <div className="space-y-4">
      <div role="tablist" aria-label="Playground mode" className="inline-flex rounded-md border border-zinc-200 bg-white p-0.5 dark:border-zinc-800 dark:bg-zinc-900">
        {(
          [
            ["chat", "Chat"],
            ["fim", "Code completion"],
          ] as const
        ).map(([value, label]) => (
          <button key={value} type="button" role="tab" aria-selected={mode === value} onClick={() => {
              setMode(value);
              if (value === "fim") setFimOpened(true);
            }} className={`rounded px-3 py-1.5 text-sm font-medium ${mode === value ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}>
            {label}
          </button>
        ))}
      </div>
      <div hidden={mode !== "chat"}>
        <KeptChat workspace={workspace} models={chatModels} presets={presets} conversations={conversations} opened={opened} openError={openError} start={start} />
      </div>
      {fimOpened ? (
        <div hidden={mode !== "fim"}>
          <FimPlayground workspace={workspace} models={fimModels} />
        </div>
      ) : null}
    </div>
  );
}
