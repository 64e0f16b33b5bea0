"use client";
// The chat playground: conversation on the left, model and parameters on the right.
import { Code2, Columns2, RotateCcw, Send, Square, Trash2 } from "lucide-react";
import { CodePanel } from "@/components/playground/code-panel";
import { useMemo, useState, type KeyboardEvent } from "react";
import { checkAnswer, checkSchema, checkTools, exampleSchema } from "@/lib/playground/structured";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { Attachments, addFiles } from "./attachments";
import { ComparePlayground } from "./compare-playground";
import { DatasetPanel } from "./dataset-panel";
import type { OpenedConversation } from "./kept-chat";
import { KeepStatusLine } from "./keep-status";
import { MessageList } from "./message-list";
import { PresetsPanel, type PresetView } from "./presets-panel";
import { SettingsPanel, type PlaygroundModel } from "./settings-panel";
import { usePromptCount } from "./use-prompt-count";
import { useChat, wireMessage, type Message, type Settings } from "./use-chat";
import { useKeepConversation } from "./use-keep-conversation";

type Props = { workspace: string; models: PlaygroundModel[]; presets: PresetView[]; opened?: OpenedConversation; start?: { prompt?: string; system?: string }; onKept: (id: string) => void; onStartOver: () => void };

/** Saved settings name a model that may since have gone: the first one available stands in. */
export function usableSettings(s: Settings, models: PlaygroundModel[]): Settings {
  return { ...s, model: models.some((m) => m.alias === s.model) ? s.model : models[0]!.alias, schema: s.schema || exampleSchema };
}

export function ChatPlayground({ workspace, models, presets, opened, start, onKept, onStartOver }: Props) {
  const [settings, setSettings] = useState<Settings>(() => (opened ? usableSettings(opened.settings, models) : { model: models[0]!.alias, system: start?.system ?? "", temperature: 0.7, topP: 1, maxTokens: "", seed: "", format: "text", schema: exampleSchema, tools: "", toolChoice: "auto" }));
  const [input, setInput] = useState(start?.prompt ?? "");
  const [showCode, setShowCode] = useState(false);
  const [comparing, setComparing] = useState(false);
  const [images, setImages] = useState<string[]>([]);
  const [imageError, setImageError] = useState<string>();
  const current = models.find((m) => m.alias === settings.model);
  const chat = useChat(workspace, Object.fromEntries(models.map((m) => [m.alias, m])), opened?.messages);
  const keep = useKeepConversation({ workspace, openedId: opened?.id, messages: chat.messages, streaming: chat.streaming, settings, onKept });

  const maxTokensError = settings.maxTokens !== "" && !(Number.isInteger(Number(settings.maxTokens)) && Number(settings.maxTokens) >= 1) ? "At least 1, or empty for the model's limit." : undefined;
  const schemaCheck = useMemo(() => (settings.format === "json_schema" ? checkSchema(settings.schema) : undefined), [settings.format, settings.schema]);
  const schemaError = schemaCheck && !schemaCheck.ok ? schemaCheck.error : undefined;
  const lastAnswer = chat.messages.at(-1)?.role === "assistant" ? chat.messages.at(-1)!.content : "";
  const answerCheck = settings.format !== "text" && lastAnswer && !chat.streaming ? checkAnswer(lastAnswer, schemaCheck?.ok ? schemaCheck.validate : undefined) : undefined;
  const toolsError = useMemo(() => checkTools(settings.tools), [settings.tools]);
  const pending: Message[] = [...chat.messages.filter((m) => m.content || m.toolCalls?.length), ...(input.trim() ? [{ role: "user" as const, content: input.trim() }] : [])];
  const count = usePromptCount(workspace, settings.model, [...(settings.system.trim() ? [{ role: "system", content: settings.system }] : []), ...pending.map(wireMessage)]);
  const seedError = settings.seed !== "" && !(Number.isInteger(Number(settings.seed)) && Number(settings.seed) >= 0) ? "A whole number, 0 or more." : undefined;

  function submit() {
    const text = input.trim();
    if (!text || chat.streaming || maxTokensError || seedError || schemaError || toolsError) return;
    // Checked here, before any request: a model without vision would only refuse it.
    if (images.length && !current?.vision) {
      setImageError(`${settings.model} does not accept images. Choose a model with vision, or remove the images.`);
      return;
    }
    setInput("");
    setImages([]);
    setImageError(undefined);
    void chat.send([...chat.messages, { role: "user", content: text, ...(images.length ? { images } : {}) }], settings);
  }

  function regenerate() {
    const lastUser = chat.messages.findLastIndex((m) => m.role === "user");
    if (lastUser >= 0) void chat.send(chat.messages.slice(0, lastUser + 1), settings);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter is a new line.
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  // The person answers the model's tool calls by hand; the conversation then goes on.
  function answerTools(results: Record<string, string>) {
    const last = chat.messages.at(-1);
    if (!last?.toolCalls?.length) return;
    const replies = last.toolCalls.map((c) => ({ role: "tool" as const, toolCallId: c.id, name: c.name, content: results[c.id] ?? "" }));
    void chat.send([...chat.messages, ...replies], settings);
  }

  const edit = (index: number, content: string) => chat.setMessages(chat.messages.map((m: Message, i) => (i === index ? { ...m, content } : m)));

  const compareToggle = (
    <Button variant="secondary" className="w-full" aria-pressed={comparing} onClick={() => setComparing(!comparing)}>
      <Columns2 aria-hidden className="h-4 w-4" /> {comparing ? "Back to one model" : "Compare models"}
    </Button>
  );
  if (comparing) {
    return (
      <div className="space-y-4">
        <div className="w-56">{compareToggle}</div>
        <ComparePlayground workspace={workspace} models={models} presets={presets} settings={settings} />
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem] lg:items-start">
        <section aria-label="Conversation" className="flex min-h-[32rem] min-w-0 flex-col rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
          <MessageList messages={chat.messages} streaming={chat.streaming} onEdit={chat.streaming ? undefined : edit} onToolResults={chat.streaming ? undefined : answerTools} />
          {chat.error ? (
            <p role="alert" className="mx-4 mb-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300" data-testid="chat-error">
              {chat.error}
            </p>
          ) : null}
          {answerCheck ? (
            <div className={`mx-4 mb-2 rounded-md border p-3 text-sm ${answerCheck.ok ? "border-emerald-200 bg-emerald-50 dark:border-emerald-900 dark:bg-emerald-950/40" : "border-red-200 bg-red-50 dark:border-red-900 dark:bg-red-950/40"}`} data-testid="structured-check">
              <p className={`font-medium ${answerCheck.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}>
                {answerCheck.ok ? "Pass" : "Fail"}: {answerCheck.reason}
              </p>
              {answerCheck.pretty ? <pre className="mt-2 max-h-60 overflow-auto rounded bg-zinc-950 p-2 font-mono text-xs text-zinc-100">{answerCheck.pretty}</pre> : null}
            </div>
          ) : null}
          {chat.metrics ? (
            <dl className="mx-4 mb-2 flex flex-wrap gap-x-5 gap-y-1 text-xs text-zinc-500" data-testid="chat-metrics">
              <div><dt className="inline">Model </dt><dd className="inline font-mono">{chat.metrics.model}</dd></div>
              <div><dt className="inline">First token </dt><dd className="inline tabular-nums">{chat.metrics.ttftMs ?? "—"} ms</dd></div>
              <div><dt className="inline">Speed </dt><dd className="inline tabular-nums">{chat.metrics.tokensPerSecond ? `${chat.metrics.tokensPerSecond.toFixed(0)} tok/s` : "—"}</dd></div>
              <div><dt className="inline">Tokens </dt><dd className="inline tabular-nums">{chat.metrics.promptTokens} in · {chat.metrics.completionTokens} out</dd></div>
              <div><dt className="inline">Cost </dt><dd className="inline tabular-nums">{chat.metrics.cost === null ? "—" : `$${chat.metrics.cost.toFixed(6)}`}</dd></div>
            </dl>
          ) : null}
          <div className="border-t border-zinc-200 p-3 dark:border-zinc-800">
            <label htmlFor="chat-input" className="sr-only">
              Message
            </label>
            <Attachments images={images} onChange={setImages} error={imageError} onError={setImageError} />
            <textarea
              id="chat-input"
              onPaste={(e) => {
                const files = [...e.clipboardData.files].filter((f) => f.type.startsWith("image/"));
                if (files.length) {
                  e.preventDefault();
                  void addFiles(files, images, setImages, setImageError);
                }
              }}
              rows={3}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onKeyDown={onKeyDown}
              placeholder="Ask something… (Enter to send, Shift+Enter for a new line)"
              className={`${controlClass} resize-y`}
            />
            <div className="mt-1 flex justify-between gap-2 text-xs text-zinc-500">
              <p aria-live="polite" data-testid="prompt-count">
                {count.data ? `Prompt ≈ ${count.data.prompt_tokens.toLocaleString("en-US")} tokens of ${count.data.max_context_length.toLocaleString("en-US")} · $${count.data.estimated_cost.toFixed(6)}` : "\u00a0"}
              </p>
              <KeepStatusLine status={keep.status} />
            </div>
            <div className="mt-2 flex items-center justify-between gap-2">
              <div className="flex gap-2">
                <Button
                  variant="ghost"
                  onClick={() => {
                    chat.reset();
                    keep.startOver();
                    onStartOver();
                  }}
                  disabled={chat.messages.length === 0}
                  aria-label="Clear conversation"
                  title="Start a new conversation with these settings; this one stays in the list"
                >
                  <Trash2 aria-hidden className="h-4 w-4" /> Clear
                </Button>
                <Button variant="ghost" onClick={regenerate} disabled={chat.streaming || !chat.messages.some((m) => m.role === "user")}>
                  <RotateCcw aria-hidden className="h-4 w-4" /> Regenerate
                </Button>
              </div>
              {chat.streaming ? (
                <Button variant="secondary" onClick={chat.stop}>
                  <Square aria-hidden className="h-4 w-4" /> Stop
                </Button>
              ) : (
                <Button onClick={submit} disabled={!input.trim()}>
                  <Send aria-hidden className="h-4 w-4" /> Send
                </Button>
              )}
            </div>
          </div>
        </section>
        <div className="space-y-4">
          <PresetsPanel workspace={workspace} presets={presets} settings={settings} onApply={(s) => setSettings(usableSettings(s, models))} />
          <SettingsPanel models={models} settings={settings} onChange={setSettings} errors={{ maxTokens: maxTokensError, seed: seedError, schema: schemaError, tools: toolsError }} />
          {compareToggle}
          <Button variant="secondary" className="w-full" aria-expanded={showCode} onClick={() => setShowCode(!showCode)}>
            <Code2 aria-hidden className="h-4 w-4" /> {showCode ? "Hide code" : "Get code"}
          </Button>
          <DatasetPanel workspace={workspace} messages={[...(settings.system.trim() ? [{ role: "system", content: settings.system }] : []), ...chat.messages.filter((m) => m.content || m.toolCalls?.length).map(wireMessage)]} />
        </div>
      </div>
      {showCode ? (
        <CodePanel
          request={{
            model: settings.model,
            messages: [...(settings.system.trim() ? [{ role: "system", content: settings.system }] : []), ...chat.messages.filter((m) => m.content), ...(input.trim() ? [{ role: "user", content: input.trim() }] : [])],
            temperature: settings.temperature,
            top_p: settings.topP,
            ...(settings.maxTokens ? { max_tokens: Number(settings.maxTokens) } : {}),
            ...(settings.seed ? { random_seed: Number(settings.seed) } : {}),
          }}
        />
      ) : null}
    </div>
  );
}
