// The upstream simulator: a stand-in for La Plateforme (/v1/*) and for an OpenAI-compatible
// server (/openai/v1/*), used by tests, benchmarks and anyone trying Bora without keys. Faults
// are injected on demand through /_sim/faults; requests are recorded for inspection. The Mistral
// dialect also has La Plateforme's files, fine-tuning jobs and batch jobs (files.ts,
// fine-tuning.ts, batch.ts); the OpenAI dialect has OpenAI's when the openaiFineTuning option is
// on (openai-fine-tuning.ts).
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createBatch, defaultBatchLinesPerSecond } from "./batch";
import { chatCompletion, chatReply, completionBase, embeddingsBody, fimCompletionBody, fimReply } from "./completions";
import { messageText, pieces, type SimMessage } from "./content";
import { createFiles } from "./files";
import { createFineTuning, defaultFineTuneStepMs } from "./fine-tuning";
import { createOpenAIFineTuning } from "./openai-fine-tuning";
import { error, json, type Dialect } from "./respond";

export type { Dialect };
export type FaultKind = "429" | "500" | "503" | "400" | "slow-first-byte" | "drop-mid-stream" | "hang";
export type Fault = { kind: FaultKind; times?: number; model?: string; retryAfter?: number; delayMs?: number };
/** `fineTuneStepMs`: how long one simulated fine-tuning step (and each validation phase) takes, 200 ms by default. `openaiFineTuning`: the OpenAI dialect offers OpenAI's files and fine-tuning APIs (off by default, as on vLLM or Ollama). `batchLinesPerSecond`: how fast a batch job completes its lines, 200 by default. */
export type SimulatorOptions = { port?: number; host?: string; latencyMs?: number; tokensPerSecond?: number; apiKey?: string; fineTuneStepMs?: number; openaiFineTuning?: boolean; batchLinesPerSecond?: number };
// Changeable at run time through POST /_sim/options; port and host are fixed once listening.
const runtimeOptions = ["latencyMs", "tokensPerSecond", "apiKey", "fineTuneStepMs", "openaiFineTuning", "batchLinesPerSecond"] as const;
export type RecordedRequest = { dialect: Dialect; method?: string; path: string; body: Record<string, unknown>; authorization?: string; traceparent?: string };

export const simModels = ["sim-small", "sim-large", "sim-vision", "sim-embed", "sim-code"];
// Fields OpenAI's API rejects: Bora's openai-compatible adapter must translate or drop them.
const mistralOnly = ["random_seed", "safe_prompt", "prediction_mode"];

export type Simulator = { url: string; port: number; faults: Fault[]; requests: RecordedRequest[]; options: SimulatorOptions; close: () => Promise<void> };

export async function startSimulator(initial: SimulatorOptions = {}): Promise<Simulator> {
  const opts = { ...initial };
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  function takeFault(model: string, applies: (f: Fault) => boolean = () => true): Fault | undefined {
    const i = faults.findIndex((f) => (!f.model || f.model === model) && applies(f));
    if (i < 0) return undefined;
    const fault = faults[i]!;
    if (fault.times !== undefined && --fault.times <= 0) faults.splice(i, 1);
    return fault;
  }

  /** Answers with a queued HTTP-status fault (429, 500…); false when the fault is of another kind. */
  function failWith(res: ServerResponse, dialect: Dialect, fault: Fault): boolean {
    if (!/^\d+$/.test(fault.kind)) return false;
    const status = Number(fault.kind);
    error(res, dialect, status, `Simulated ${status}`, status === 429 ? { "retry-after": String(fault.retryAfter ?? 1) } : {});
    return true;
  }

  function record(entry: RecordedRequest) {
    requests.push(entry);
    if (requests.length > 1000) requests.shift();
  }

  const files = createFiles();
  const fineTuning = createFineTuning({
    files,
    stepMs: () => opts.fineTuneStepMs ?? defaultFineTuneStepMs,
    // Only status faults apply to a job GET: a slow or dropped stream means nothing there.
    failure: (model, res) => {
      const fault = takeFault(model, (f) => /^\d+$/.test(f.kind));
      return fault ? failWith(res, "mistral", fault) : false;
    },
  });
  const batch = createBatch({
    files,
    linesPerSecond: () => opts.batchLinesPerSecond ?? defaultBatchLinesPerSecond,
    // As the inference routes judge a model: a fine-tuned one must come from a job that succeeded here.
    knownModel: (model) => !model.startsWith("ft:") || fineTuning.models().some((m) => m.id === model),
  });
  const openai = createOpenAIFineTuning({ options: opts, failure: (model, res) => { const fault = takeFault(model, (f) => /^\d+$/.test(f.kind)); return fault ? failWith(res, "openai", fault) : false; } });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://sim");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const dialect: Dialect = url.pathname.startsWith("/openai/") ? "openai" : "mistral";
    const path = url.pathname.replace(/^\/openai/, "");
    const authorized = !opts.apiKey || req.headers.authorization === `Bearer ${opts.apiKey}`;

    // La Plateforme's files and jobs, before the body is read as JSON: uploads are multipart.
    const platform = dialect === "mistral" ? (/^\/v1\/files(\/|$)/.test(path) ? files : /^\/v1\/fine_tuning\//.test(path) ? fineTuning : /^\/v1\/batch\//.test(path) ? batch : undefined) : openai.route(path);
    if (platform) {
      if (!authorized) return error(res, dialect, 401, "Unauthorized");
      // Mutations only: a poller's GETs would push everything else out of the log.
      if (req.method !== "GET") record({ dialect, method: req.method, path, body: platformBody(req, bytes), authorization: req.headers.authorization });
      // A batch's result files exist once it has ended, whether or not anyone polled the job.
      if (platform === files) await batch.settle();
      return platform.handle({ req, res, url, path, body: bytes });
    }

    const raw = bytes.toString("utf8");
    let body: Record<string, unknown> = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return error(res, "mistral", 400, "Invalid JSON");
    }
    if (url.pathname === "/_sim/faults" && req.method === "POST") {
      faults.push(body as Fault);
      return json(res, 200, { queued: faults.length });
    }
    if (url.pathname === "/_sim/options") {
      if (req.method === "POST") for (const key of runtimeOptions) if (key in body) Object.assign(opts, { [key]: body[key] });
      return json(res, 200, { ...opts, fineTuneStepMs: opts.fineTuneStepMs ?? defaultFineTuneStepMs, batchLinesPerSecond: opts.batchLinesPerSecond ?? defaultBatchLinesPerSecond });
    }
    if (url.pathname === "/_sim/reset") {
      faults.length = 0;
      requests.length = 0;
      files.clear();
      fineTuning.clear();
      batch.clear();
      openai.clear();
      return json(res, 200, { ok: true });
    }
    if (url.pathname === "/_sim/requests") return json(res, 200, { data: requests });
    if (url.pathname === "/healthz") return json(res, 200, { status: "ok" });

    if (!authorized) return error(res, dialect, 401, "Unauthorized");
    if (req.method === "GET" && path === "/v1/models") {
      const base = simModels.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "simulator" }));
      // Fine-tuned models, in Mistral's FTModelCard shape, once their job has succeeded.
      const tuned = dialect === "mistral" ? fineTuning.models().map((m) => ({ ...m, object: "model", owned_by: "simulator", type: "fine-tuned", archived: false, capabilities: { completion_chat: true, completion_fim: m.root === "sim-code", function_calling: true, fine_tuning: false, vision: false } })) : [];
      return json(res, 200, { object: "list", data: [...base, ...tuned] });
    }
    record({ dialect, method: req.method, path, body, authorization: req.headers.authorization, traceparent: req.headers.traceparent as string | undefined });

    const model = String(body.model ?? "");
    const fault = takeFault(model);
    if (fault?.kind === "hang") return; // never answers: the caller's timeout must fire
    if (fault && failWith(res, dialect, fault)) return;
    if (fault?.kind === "slow-first-byte") await sleep(fault.delayMs ?? 2000);
    if (opts.latencyMs) await sleep(opts.latencyMs);

    if (dialect === "openai") {
      const rejected = mistralOnly.find((f) => f in body) ?? (body.tool_choice === "any" ? "tool_choice" : undefined);
      if (rejected) return error(res, dialect, 400, `Unrecognized request argument supplied: ${rejected}`);
    }
    if (req.method !== "POST") return error(res, dialect, 404, "Not found");
    // Other model names pass, but a fine-tuned one must come from a job that succeeded here.
    if (dialect === "mistral" && model.startsWith("ft:") && !fineTuning.models().some((m) => m.id === model)) return error(res, dialect, 400, `Invalid model: ${model}`);
    if (dialect === "openai" && openai.unknownModel(model)) return error(res, dialect, 404, `The model \`${model}\` does not exist or you do not have access to it.`);
    if (path === "/v1/chat/completions") return chat(res, dialect, body, fault);
    if (path === "/v1/fim/completions" || (dialect === "openai" && path === "/v1/completions")) return fim(res, dialect, body, fault);
    if (path === "/v1/embeddings") return embeddings(res, body);
    return error(res, dialect, 404, `No route ${path}`);
  }

  async function chat(res: ServerResponse, dialect: Dialect, body: Record<string, unknown>, fault?: Fault) {
    const messages = (body.messages ?? []) as SimMessage[];
    if (!Array.isArray(messages) || messages.length === 0) return error(res, dialect, 400, "messages must not be empty");
    const reply = chatReply(body);
    const { text, finish, toolCalls, usage } = reply;
    const base = completionBase(body.model);
    if (!body.stream) return json(res, 200, chatCompletion(reply, dialect, base));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) =>
      send({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra });
    chunk({ role: "assistant", content: "" });
    const parts = toolCalls ? [] : pieces(text);
    const gap = opts.tokensPerSecond ? 1000 / opts.tokensPerSecond : 0;
    for (let i = 0; i < parts.length; i++) {
      if (fault?.kind === "drop-mid-stream" && i === Math.floor(parts.length / 2)) {
        await sleep(50); // let what was written reach the client, then cut the connection
        return res.destroy();
      }
      if (gap) await sleep(gap);
      if (res.destroyed) return;
      chunk({ content: parts[i] });
    }
    if (toolCalls) chunk({ tool_calls: toolCalls.map((c, index) => ({ index, ...c })) });
    const includeUsage = dialect === "mistral" || (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
    if (dialect === "mistral") chunk({}, finish, { usage });
    else {
      chunk({}, finish);
      if (includeUsage) send({ ...base, object: "chat.completion.chunk", choices: [], usage });
    }
    res.end("data: [DONE]\n\n");
  }

  async function fim(res: ServerResponse, dialect: Dialect, body: Record<string, unknown>, fault?: Fault) {
    const reply = fimReply(body);
    const { text, usage } = reply;
    const base = completionBase(body.model);
    if (dialect === "openai" && body.stream) return error(res, dialect, 400, "The simulator streams FIM in the Mistral dialect only");
    if (!body.stream) return json(res, 200, fimCompletionBody(reply, dialect, base));
    res.writeHead(200, { "content-type": "text/event-stream" });
    const parts = pieces(text);
    parts.forEach((p, i) => {
      if (fault?.kind === "drop-mid-stream" && i === 1) res.destroy();
      if (!res.destroyed) res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`);
    });
    if (res.destroyed) return;
    res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage })}\n\n`);
    res.end("data: [DONE]\n\n");
  }

  function embeddings(res: ServerResponse, body: Record<string, unknown>) {
    json(res, 200, embeddingsBody(body, completionBase(body.model)));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => error(res, "mistral", 500, err.message));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    requests,
    // Mutable: tests slow the stream down or speed it up between requests.
    options: opts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// What a recorded platform request carried: a job's JSON; of an upload, only its size.
function platformBody(req: IncomingMessage, bytes: Buffer): Record<string, unknown> {
  const type = req.headers["content-type"] ?? "";
  if (type.startsWith("multipart/form-data")) return { multipart: true, bytes: bytes.length };
  try {
    return bytes.length ? (JSON.parse(bytes.toString("utf8")) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export { messageText };
