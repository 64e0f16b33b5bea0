// The built-in engine: GGUF models served in this process by node-llama-cpp (prebuilt CPU
// binaries from the npm registry; it never compiles or downloads). Each loaded model has one
// context with a few sequences; requests take a free sequence or wait in a bounded queue, and
// are refused with 503 and Retry-After when the queue is full. Answers come back as Mistral's
// JSON or SSE bytes, so the gateway relays them like any upstream's.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { finished, PassThrough } from "node:stream";
import type { ChatHistoryItem, ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaEmbeddingContext, LlamaCompletion, LlamaCompletionGenerationOptions, LlamaCompletionResponse, LlamaGrammar, LlamaModel, LlamaText } from "node-llama-cpp";
import { BoraError } from "@/lib/errors";
import type { Body, Endpoint } from "@/lib/gateway/providers/types";
import type { UpstreamAnswer } from "@/lib/gateway/upstream";
import { contentText } from "@/lib/gateway/tokens";
import { guidedFor, type Guided } from "./guided/response-format";
import { forcedToolCall, toolCallOf, toolCallText } from "./tool-calls";
import { utf8Guard, type Utf8Guard } from "./guided/utf8-guard";

type Loaded = {
  model: LlamaModel;
  context: LlamaContext;
  free: LlamaContextSequence[];
  waiting: ((s: LlamaContextSequence) => void)[];
  // Created on the first embeddings request; calls on it run one at a time.
  embedding?: Promise<LlamaEmbeddingContext>;
  embedQueue: Promise<unknown>;
  chatWrapper: ChatWrapper;
  /** Keeps byte tokens to valid UTF-8 in guided answers (SentencePiece vocabularies). */
  utf8?: Utf8Guard;
  /** The weights' size in memory plus the context's estimated size, in bytes. */
  memoryBytes: number;
};

export type LoadState = { state: "unloaded" | "loading" | "loaded"; memoryBytes?: number };

type Input = {
  promptTokens: number;
  stops?: LlamaText[];
  run: (completion: LlamaCompletion, options: LlamaCompletionGenerationOptions) => Promise<LlamaCompletionResponse>;
};

export type EngineOptions = {
  sequences?: number;
  maxQueue?: number;
  defaultMaxTokens?: number;
  /** A model without requests for this long is unloaded; 0: never. */
  idleUnloadSeconds?: number;
  /** Memory a model may take, in bytes; default: the system's free memory at load time. */
  memoryBytes?: number;
};

export class LocalEngine {
  private llama: Promise<Llama> | undefined;
  private readonly loaded = new Map<string, Promise<Loaded>>();
  private readonly ready = new Map<string, Loaded>();
  // Requests in flight per model, and the timers that unload idle ones.
  private readonly active = new Map<string, number>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private readonly sequences: number;
  private readonly maxQueue: number;
  private readonly defaultMaxTokens: number;
  private readonly idleUnloadMs: number;
  private readonly memoryBytes: number | undefined;

  constructor(
    readonly modelsDir: string,
    opts: EngineOptions = {},
  ) {
    this.sequences = opts.sequences ?? 4;
    this.maxQueue = opts.maxQueue ?? 16;
    this.defaultMaxTokens = opts.defaultMaxTokens ?? 256;
    this.idleUnloadMs = (opts.idleUnloadSeconds ?? 600) * 1000;
    this.memoryBytes = opts.memoryBytes;
  }

  async call(endpoint: Endpoint, body: Body, signal: AbortSignal): Promise<UpstreamAnswer> {
    const name = String(body.model);
    if (endpoint === "chat") this.refuseUnsupported(name, body);
    this.active.set(name, (this.active.get(name) ?? 0) + 1);
    clearTimeout(this.idleTimers.get(name));
    let answer: UpstreamAnswer | undefined;
    try {
      answer = await this.serve(name, endpoint, body, signal);
      return answer;
    } finally {
      // A stream holds the model until its last byte; a whole answer is done when returned.
      if (answer && body.stream) finished(answer.body as unknown as PassThrough, () => this.idle(name));
      else this.idle(name);
    }
  }

  /** Images are refused before the model is loaded or anything decoded. */
  private refuseUnsupported(name: string, body: Body) {
    const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : [];
    const image = messages.some((m) => Array.isArray(m.content) && m.content.some((p: { type?: string }) => p?.type === "image_url"));
    if (image) {
      throw new BoraError("bad_request:local_vision", `This local model cannot read images: its GGUF file (${name}) comes with no vision projector, and the local engine serves text only. Send text content, or use a model with vision.`, { param: "messages" });
    }
  }

  private idle(name: string) {
    const n = (this.active.get(name) ?? 1) - 1;
    if (n > 0) return void this.active.set(name, n);
    this.active.delete(name);
    if (this.idleUnloadMs <= 0 || !this.loaded.has(name)) return;
    clearTimeout(this.idleTimers.get(name));
    const timer = setTimeout(() => {
      this.idleTimers.delete(name);
      if (!this.active.has(name)) void this.unload(name);
    }, this.idleUnloadMs);
    timer.unref();
    this.idleTimers.set(name, timer);
  }

  private async serve(name: string, endpoint: Endpoint, body: Body, signal: AbortSignal): Promise<UpstreamAnswer> {
    const loaded = await this.load(name);
    if (endpoint === "embeddings") return this.embed(loaded, body);
    const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : this.defaultMaxTokens;
    // Refused before a sequence is taken: a schema outside the subset is the client's to fix.
    const tool = endpoint === "chat" ? forcedToolCall(body, maxTokens) : null;
    const guided = tool?.guided ?? (endpoint === "chat" ? guidedFor(body.response_format, maxTokens) : undefined);
    const input = endpoint === "fim" ? this.fimInput(loaded, body) : this.chatInput(loaded, body, tool?.instructions);
    const sequence = await this.acquire(loaded);
    try {
      return await this.generate(loaded, sequence, body, input, maxTokens, guided, signal, Boolean(tool));
    } catch (err) {
      this.release(loaded, sequence);
      throw err;
    }
  }

  /** The chat template renders the prompt once; generation then runs as a plain completion,
   * about 0.5 ms a token of bookkeeping for the demo model against 40 ms in LlamaChatSession. */
  private chatInput(loaded: Loaded, body: Body, instructions?: string): Input {
    const messages = (body.messages as { role: string; content?: unknown; tool_calls?: unknown; name?: string }[]) ?? [];
    const history: ChatHistoryItem[] = messages.map((m) =>
      m.role === "assistant"
        ? { type: "model", response: [contentText(m.content) || toolCallText(m.tool_calls)] }
        : m.role === "system"
          ? { type: "system", text: contentText(m.content) }
          : m.role === "tool"
            ? { type: "user", text: `Result of ${m.name ?? "the function"}: ${contentText(m.content)}` }
            : { type: "user", text: contentText(m.content) },
    );
    if (instructions) history.unshift({ type: "system", text: instructions });
    if (history.at(-1)?.type !== "model") history.push({ type: "model", response: [] });
    const { contextText, stopGenerationTriggers } = loaded.chatWrapper.generateContextState({ chatHistory: history });
    const rendered = contextText.tokenize(loaded.model.tokenizer);
    // LlamaCompletion puts the model's BOS in front itself: not twice.
    const tokens = rendered[0] !== undefined && rendered[0] === loaded.model.tokens.bos ? rendered.slice(1) : rendered;
    // The template's own end-of-turn markers stop the answer, as they would in a chat session.
    return { promptTokens: tokens.length, stops: stopGenerationTriggers, run: (completion, options) => completion.generateCompletionWithMeta(tokens, options) };
  }

  /** Fill-in-the-middle with the model's own prefix/suffix/middle tokens; a 400 for models without. */
  private fimInput(loaded: Loaded, body: Body): Input {
    const { prefix, suffix } = loaded.model.tokens.infill;
    if (prefix === null || suffix === null) {
      throw new BoraError("bad_request:fim_unsupported", `This model cannot complete code in the middle: its GGUF file (${String(body.model)}) names no fill-in-the-middle prefix and suffix tokens.`, { param: "model" });
    }
    const before = String(body.prompt ?? "");
    const after = String(body.suffix ?? "");
    const promptTokens = loaded.model.tokenize(before).length + loaded.model.tokenize(after).length + 3;
    return { promptTokens, run: (completion, options) => completion.generateInfillCompletionWithMeta(before, after, options) };
  }

  private async generate(loaded: Loaded, sequence: LlamaContextSequence, body: Body, input: Input, maxTokens: number, guided: Guided | undefined, signal: AbortSignal, toolCall = false): Promise<UpstreamAnswer> {
    const { LlamaCompletion } = await import("node-llama-cpp");
    const promptTokens = input.promptTokens;
    // A stop string would cut guided JSON short: it applies to free text only.
    const stop = guided || body.stop === undefined || body.stop === null ? [] : Array.isArray(body.stop) ? body.stop : [body.stop];
    const grammar = guided ? await this.grammar(guided.grammar) : undefined;
    const id = `local-${crypto.randomUUID().slice(0, 8)}`;
    const base = { id, created: Math.floor(Date.now() / 1000), model: body.model };
    const out = new PassThrough();
    let completionTokens = 0;
    const utf8 = loaded.utf8;
    const sse = (payload: unknown) => out.write(`data: ${JSON.stringify(payload)}\n\n`);
    if (body.stream) sse({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });

    const completion = new LlamaCompletion({ contextSequence: sequence });
    let broken = false; // a failed decode can leave the sequence's cache out of step
    const run = input
      .run(completion, {
        maxTokens,
        temperature: typeof body.temperature === "number" ? body.temperature : 0.7,
        topP: typeof body.top_p === "number" ? body.top_p : undefined,
        seed: typeof body.random_seed === "number" ? body.random_seed : undefined,
        // Guided answers end where the grammar ends: a stop text inside a JSON string must not cut it.
        customStopTriggers: guided ? undefined : [...stop.map(String), ...(input.stops ?? [])],
        grammar,
        tokenBias: guided && utf8 ? () => utf8.after.get(sequence.contextTokens.at(-1)!) ?? utf8.base : undefined,
        signal,
        stopOnAbortSignal: true,
        onToken: (tokens) => {
          completionTokens += tokens.length;
        },
        // A tool call is sent whole at the end, not as text.
        onTextChunk: body.stream && !toolCall ? (text) => text && sse({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }) : undefined,
      })
      .catch((err: Error) => {
        broken = true;
        throw err;
      })
      .then(({ response: text, metadata }) => {
        const finish = metadata.stopReason === "maxTokens" ? "length" : "stop";
        // A client that went away cut the answer short on purpose: nothing to check for it.
        const problem = signal.aborted ? null : guided?.check(text);
        if (problem) {
          throw new BoraError("bad_gateway:local_guided", `The local engine's answer does not validate against the requested response_format (${problem}); it was not returned.${finish === "length" ? " It hit max_tokens." : ""}`);
        }
        const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
        if (toolCall && !signal.aborted) {
          const call = toolCallOf(text);
          if (body.stream) {
            sse({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...call }] }, finish_reason: null }] });
            sse({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }], usage });
            out.end("data: [DONE]\n\n");
            return "";
          }
          const payload = JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "", tool_calls: [call] }, finish_reason: "tool_calls" }], usage });
          out.end(payload);
          return payload;
        }
        if (body.stream) {
          sse({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: finish }], usage });
          out.end("data: [DONE]\n\n");
          return "";
        }
        const payload = JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: finish }], usage });
        out.end(payload);
        return payload;
      })
      .finally(() => {
        completion.dispose({ disposeSequence: false });
        void this.recycle(loaded, sequence, broken);
      });
    // Whole answers wait for the end, so that a failed check is a proper error status.
    if (!body.stream) {
      const payload = await run;
      return { statusCode: 200, headers: { "content-type": "application/json" }, body: Object.assign(out, { text: async () => payload }) };
    }
    run.catch((err: Error) => out.destroy(err));
    return {
      statusCode: 200,
      headers: { "content-type": "text/event-stream" },
      body: Object.assign(out, {
        text: async () => {
          const chunks: Buffer[] = [];
          for await (const c of out) chunks.push(Buffer.from(c as Buffer));
          return Buffer.concat(chunks).toString("utf8");
        },
      }),
    };
  }

  /** Back to the pool, emptied; a sequence whose generation failed is replaced by a fresh one. */
  private async recycle(loaded: Loaded, sequence: LlamaContextSequence, broken: boolean) {
    if (sequence.disposed) return; // closed with the engine
    if (!broken) {
      await sequence.clearHistory().catch(() => undefined);
      return this.release(loaded, sequence);
    }
    sequence.dispose();
    if (!loaded.context.disposed) this.release(loaded, loaded.context.getSequence());
  }

  /** Grammars are parsed once per text and kept: the same schema comes back request after request. */
  private async grammar(text: string): Promise<LlamaGrammar> {
    let grammar = this.grammars.get(text);
    if (!grammar) {
      grammar = (this.llama ??= this.newLlama()).then((llama) => llama.createGrammar({ grammar: text }));
      grammar.catch(() => this.grammars.delete(text));
      if (this.grammars.size >= 256) this.grammars.delete(this.grammars.keys().next().value!);
      this.grammars.set(text, grammar);
    }
    return grammar;
  }

  private async embed(loaded: Loaded, body: Body): Promise<UpstreamAnswer> {
    const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
    loaded.embedding ??= loaded.model.createEmbeddingContext({ threads: 1 });
    const context = await loaded.embedding;
    const run = loaded.embedQueue.then(async () => {
      const vectors: number[][] = [];
      for (const text of inputs) vectors.push([...(await context.getEmbeddingFor(text)).vector]);
      return vectors;
    });
    loaded.embedQueue = run.catch(() => {});
    const vectors = await run;
    const dims = vectors[0]?.length ?? 0;
    if (typeof body.output_dimension === "number" && body.output_dimension !== dims) {
      throw new BoraError("bad_request:output_dimension", `This model's embeddings have ${dims} dimensions; output_dimension must be ${dims} or left out.`, { param: "output_dimension" });
    }
    const promptTokens = inputs.reduce((n, t) => n + loaded.model.tokenize(t).length, 0);
    const payload = JSON.stringify({
      id: `local-${crypto.randomUUID().slice(0, 8)}`,
      object: "list",
      model: body.model,
      data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
    const out = new PassThrough();
    out.end(payload);
    return { statusCode: 200, headers: { "content-type": "application/json" }, body: Object.assign(out, { text: async () => payload }) };
  }

  /** The file behind a local model name: a .gguf directly inside the models dir, nothing else. */
  resolvePath(name: string): string {
    if (!/^[\w.-]+\.gguf$/.test(name)) throw new BoraError("not_found:local_model", `"${name}" is not a GGUF file name.`);
    return path.join(this.modelsDir, name);
  }

  /** Unloaded, loading or loaded, with the memory a loaded model holds. */
  state(name: string): LoadState {
    const ready = this.ready.get(name);
    if (ready) return { state: "loaded", memoryBytes: ready.memoryBytes };
    return { state: this.loaded.has(name) ? "loading" : "unloaded" };
  }

  /** Loads a model now (the console's Load button); requests load it on first use anyway. */
  async preload(name: string): Promise<LoadState> {
    await this.load(name);
    this.active.set(name, (this.active.get(name) ?? 0) + 1);
    this.idle(name);
    return this.state(name);
  }

  /** Frees a model's memory; refused while requests run on it (queued ones would wait forever). */
  async unload(name: string, opts: { force?: boolean } = {}): Promise<void> {
    const running = this.active.get(name) ?? 0;
    if (running > 0 && !opts.force) throw new BoraError("conflict:local_busy", `${running} request${running === 1 ? " is" : "s are"} running on ${name}; unload it when they have ended.`);
    const loading = this.loaded.get(name);
    clearTimeout(this.idleTimers.get(name));
    this.idleTimers.delete(name);
    if (!loading) return;
    this.loaded.delete(name);
    this.ready.delete(name);
    const l = await loading.catch(() => undefined);
    if (!l) return;
    await (await l.embedding?.catch(() => undefined))?.dispose();
    await l.context.dispose();
    await l.model.dispose();
  }

  /** Unloads a model and deletes its file. */
  async deleteFile(name: string): Promise<void> {
    const file = this.resolvePath(name);
    await this.unload(name);
    await fs.promises.rm(file, { force: true });
  }

  /** What a model needs in memory with this engine's context, estimated from its GGUF metadata. */
  private async memoryNeeded(llama: Llama, file: string): Promise<{ weights: number; context: number; contextSize: number }> {
    const { readGgufFileInfo, GgufInsights } = await import("node-llama-cpp");
    const insights = await GgufInsights.from(await readGgufFileInfo(file, { logWarnings: false }), llama);
    const contextSize = Math.min(4096, insights.trainContextSize ?? 4096);
    const weights = insights.estimateModelResourceRequirements({ gpuLayers: 0 }).cpuRam;
    const context = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: 0, sequences: this.sequences }).cpuRam;
    return { weights, context, contextSize };
  }

  private load(name: string): Promise<Loaded> {
    let loading = this.loaded.get(name);
    if (!loading) {
      loading = (async () => {
        const { resolveChatWrapper, TokenBias } = await import("node-llama-cpp");
        const file = this.resolvePath(name);
        if (!fs.existsSync(file)) throw new BoraError("unavailable:local_model_missing", `The GGUF file ${name} is no longer in the models dir; put it back or point the alias elsewhere.`);
        const llama = await (this.llama ??= this.newLlama());
        const need = await this.memoryNeeded(llama, file);
        const available = this.memoryBytes ?? os.freemem();
        if (need.weights + need.context > available) {
          throw new BoraError("unavailable:local_memory", `${name} does not fit in memory: it needs about ${mib(need.weights + need.context)} (weights ${mib(need.weights)}, context of ${need.contextSize} tokens ${mib(need.context)}) and ${mib(available)} is available. Unload another model or use a smaller quantization.`);
        }
        const model = await llama.loadModel({ modelPath: file });
        // Small models run fastest on one thread (shared/NOTES.md: ~3,000 tokens/s against 2–3 with four).
        const threads = model.size < 512 * 1024 * 1024 ? 1 : undefined;
        const context = await model.createContext({ sequences: this.sequences, contextSize: need.contextSize, threads });
        const free = Array.from({ length: this.sequences }, () => context.getSequence());
        const loaded: Loaded = { model, context, free, waiting: [], embedQueue: Promise.resolve(), chatWrapper: resolveChatWrapper(model), utf8: utf8Guard(model, TokenBias), memoryBytes: model.size + need.context };
        // Unloaded while it was loading: nobody holds it any more.
        if (this.loaded.get(name) !== loading) {
          await context.dispose();
          await model.dispose();
          throw new BoraError("unavailable:local_unloaded", `${name} was unloaded while it loaded.`, { retryAfterSeconds: 1 });
        }
        this.ready.set(name, loaded);
        return loaded;
      })();
      loading.catch(() => {
        if (this.loaded.get(name) === loading) this.loaded.delete(name);
      });
      this.loaded.set(name, loading);
    }
    return loading;
  }

  private async newLlama(): Promise<Llama> {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    return getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  }

  private acquire(loaded: Loaded): Promise<LlamaContextSequence> {
    const free = loaded.free.pop();
    if (free) return Promise.resolve(free);
    if (loaded.waiting.length >= this.maxQueue) {
      return Promise.reject(new BoraError("unavailable:local_busy", "The local engine is busy: every sequence is in use and the queue is full.", { retryAfterSeconds: 1 }));
    }
    return new Promise((resolve) => loaded.waiting.push(resolve));
  }

  private release(loaded: Loaded, sequence: LlamaContextSequence) {
    const next = loaded.waiting.shift();
    if (next) next(sequence);
    else loaded.free.push(sequence);
  }

  async close(): Promise<void> {
    for (const name of [...this.loaded.keys()]) await this.unload(name, { force: true });
  }
}

const mib = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.ceil(bytes / 1024 ** 2)} MiB`);
