"use client";
// Compare: the same conversation sent to two or three columns at once, streaming side by side,
// each with its own model and settings (the same model twice at two temperatures is a fair
// question), and its own latency, tokens and cost.
import { Plus, Send, SlidersHorizontal, Square, X } from "lucide-react";
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from "react";
import { Button } from "@/components/ui/button";
import { Select, controlClass } from "@/components/ui/field";
import { ColumnSettings, maxTokensProblem, settingsSummary } from "./column-settings";
import { MessageList } from "./message-list";
import type { PresetView } from "./presets-panel";
import type { PlaygroundModel } from "./settings-panel";
import { useChat, type Settings } from "./use-chat";

type ColumnHandle = { send: (text: string) => void; stop: () => void };
type ColumnProps = { ref: Ref<ColumnHandle>; id: number; position: number; workspace: string; models: PlaygroundModel[]; presets: PresetView[]; settings: Settings; onSettings: (s: Settings) => void; onRemove?: () => void; onStreaming: (id: number, streaming: boolean) => void };

function CompareColumn({ ref, id, position, workspace, models, presets, settings, onSettings, onRemove, onStreaming }: ColumnProps) {
  const chat = useChat(workspace, Object.fromEntries(models.map((m) => [m.alias, m])));
  const [open, setOpen] = useState(false);
  const model = settings.model;
  const prefix = `compare-${id}`;
  useImperativeHandle(ref, () => ({
    send: (text) => void chat.send([...chat.messages, { role: "user", content: text }], settings),
    stop: chat.stop,
  }));
  useEffect(() => onStreaming(id, chat.streaming), [id, chat.streaming, onStreaming]);
  return (
    <section aria-label={`Column ${position}: ${model}`} className="flex min-h-[24rem] min-w-0 flex-col rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" data-testid="compare-column">
      <div className="flex items-center gap-2 border-b border-zinc-200 p-2 dark:border-zinc-800">
        <Select id={`${prefix}-model`} aria-label="Model of this column" value={model} onChange={(e) => onSettings({ ...settings, model: e.target.value })}>
          {models.map((m) => (
            <option key={m.alias} value={m.alias}>
              {m.alias}
            </option>
          ))}
        </Select>
        <Button variant={open ? "secondary" : "ghost"} aria-label={`Settings for ${model} (${position})`} aria-expanded={open} aria-controls={`${prefix}-settings`} title="This column's settings" onClick={() => setOpen(!open)}>
          <SlidersHorizontal aria-hidden className="h-4 w-4" />
        </Button>
        {onRemove ? (
          <Button variant="ghost" aria-label={`Remove column ${position} (${model})`} onClick={onRemove}>
            <X aria-hidden className="h-4 w-4" />
          </Button>
        ) : null}
      </div>
      <p className="truncate border-b border-zinc-200 px-3 py-1.5 text-xs text-zinc-500 dark:border-zinc-800" data-testid="column-summary" title={settingsSummary(settings)}>
        {settingsSummary(settings)}
      </p>
      {open ? <ColumnSettings prefix={prefix} settings={settings} presets={presets} onChange={onSettings} onPreset={(p) => onSettings({ ...p, model: models.some((m) => m.alias === p.model) ? p.model : model })} /> : null}
      <MessageList messages={chat.messages} streaming={chat.streaming} />
      {chat.error ? (
        <p role="alert" className="mx-3 mb-2 text-sm text-red-600">
          {chat.error}
        </p>
      ) : null}
      <p className="border-t border-zinc-200 px-3 py-2 text-xs text-zinc-500 dark:border-zinc-800" data-testid="compare-metrics">
        {chat.metrics
          ? `First token ${chat.metrics.ttftMs ?? "—"} ms · ${chat.metrics.promptTokens} in / ${chat.metrics.completionTokens} out · ${chat.metrics.cost === null ? "—" : `$${chat.metrics.cost.toFixed(6)}`}`
          : chat.streaming
            ? "Streaming…"
            : "No answer yet"}
      </p>
    </section>
  );
}

export function ComparePlayground({ workspace, models, presets, settings }: { workspace: string; models: PlaygroundModel[]; presets: PresetView[]; settings: Settings }) {
  // Each column starts from the chat's settings, on a model of its own where there are several.
  const [columns, setColumns] = useState<{ id: number; settings: Settings }[]>(() => [0, 1].map((id) => ({ id, settings: { ...settings, model: (models[id] ?? models[0]!).alias } })));
  const [input, setInput] = useState("");
  const [streaming, setStreaming] = useState<Record<number, boolean>>({});
  const busy = Object.values(streaming).some(Boolean);
  const invalid = columns.some((c) => maxTokensProblem(c.settings));
  const handles = useRef(new Map<number, ColumnHandle>());
  const nextId = useRef(columns.length);
  // Stable, so the columns' effects run only when their own streaming state changes.
  const onStreaming = useCallback((id: number, s: boolean) => setStreaming((prev) => (prev[id] === s ? prev : { ...prev, [id]: s })), []);

  function send() {
    const text = input.trim();
    if (!text || invalid) return;
    setInput("");
    for (const h of handles.current.values()) h.send(text);
  }

  return (
    <div className="space-y-4">
      <div className={`grid gap-4 ${columns.length === 3 ? "lg:grid-cols-3" : "lg:grid-cols-2"}`}>
        {columns.map((c, i) => (
          <CompareColumn
            key={c.id}
            ref={(h) => {
              if (h) handles.current.set(c.id, h);
              else handles.current.delete(c.id);
            }}
            workspace={workspace}
            position={i + 1}
            models={models}
            presets={presets}
            settings={c.settings}
            onSettings={(s) => setColumns((all) => all.map((x) => (x.id === c.id ? { ...x, settings: s } : x)))}
            onRemove={
              columns.length > 2
                ? () => {
                    handles.current.get(c.id)?.stop();
                    setColumns(columns.filter((x) => x.id !== c.id));
                    setStreaming(({ [c.id]: _gone, ...rest }) => rest);
                  }
                : undefined
            }
            id={c.id}
            onStreaming={onStreaming}
          />
        ))}
      </div>
      <div className="flex items-end gap-2">
        <label htmlFor="compare-input" className="sr-only">
          Message for every model
        </label>
        <textarea
          id="compare-input"
          rows={2}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              if (!busy) send();
            }
          }}
          placeholder="One message, sent to every column"
          className={`${controlClass} flex-1`}
        />
        {columns.length < 3 ? (
          <Button variant="secondary" onClick={() => setColumns([...columns, { id: nextId.current++, settings: { ...columns.at(-1)!.settings } }])}>
            <Plus aria-hidden className="h-4 w-4" /> Column
          </Button>
        ) : null}
        {busy ? (
          <Button variant="secondary" onClick={() => handles.current.forEach((h) => h.stop())}>
            <Square aria-hidden className="h-4 w-4" /> Stop all
          </Button>
        ) : (
          <Button onClick={send} disabled={!input.trim() || invalid}>
            <Send aria-hidden className="h-4 w-4" /> Send to all
          </Button>
        )}
      </div>
    </div>
  );
}
