// Bora's demo model: a tiny llama-architecture GGUF with seeded random weights, written at
// first start so the API and the playground answer offline before any upstream is set up. It
// has random weights: what it says is noise. It exists to try the wiring.
import fs from "node:fs";
import path from "node:path";
import { writeGguf, type MetaValue, type Tensor } from "./gguf-writer";

export const demoModelFile = "bora-demo.gguf";

const dims = { embd: 64, ff: 128, layers: 2, heads: 4, context: 4096 };

// Words the vocabulary knows as whole pieces (with every prefix, or SentencePiece merges never
// reach them); anything else falls back to bytes.
const words = (
  "the of and to a in is it you that he was for on are with as I his they be at one have this from or had by hot word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father hello bora model demo random weights wiring answer question"
).split(" ");

// Codestral's fill-in-the-middle control tokens, for the FIM variant (tests of the local FIM path).
const fimTokens = ["[SUFFIX]", "[PREFIX]", "[MIDDLE]"];

function vocabulary(fim: boolean): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ["<unk>", "<s>", "</s>", "[INST]", "[/INST]"];
  const types = [2, 3, 3, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(6);
  }
  const pieces = new Set<string>(["▁"]);
  for (const w of words) {
    const piece = `▁${w}`;
    for (let i = 2; i <= piece.length; i++) pieces.add(piece.slice(0, i));
    for (let i = 1; i <= w.length; i++) pieces.add(w.slice(0, i));
  }
  for (const p of pieces) {
    tokens.push(p);
    types.push(1);
  }
  if (fim) {
    tokens.push(...fimTokens);
    types.push(3, 3, 3);
  }
  // Longer pieces score higher, so merges prefer whole words.
  const scores = tokens.map((t, i) => (types[i] === 1 ? -1000 + t.length * 10 : 0));
  return { tokens, scores, types };
}

// mulberry32: a small seeded PRNG, so every start writes the same model.
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo model; with `fim`, a variant that also has fill-in-the-middle tokens (not written at start). */
export function buildDemoModel(seed = 42, { fim = false }: { fim?: boolean } = {}): Buffer {
  const rand = random(seed);
  const { tokens, scores, types } = vocabulary(fim);
  const weights = (n: number, scale = 0.08) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const ones = (n: number) => new Float32Array(n).fill(1);
  const { embd, ff, layers, heads } = dims;
  const tensors: Tensor[] = [{ name: "token_embd.weight", dims: [embd, tokens.length], data: weights(embd * tokens.length, 0.5) }];
  for (let l = 0; l < layers; l++) {
    tensors.push(
      { name: `blk.${l}.attn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `blk.${l}.attn_q.weight`, dims: [embd, embd], data: weights(embd * embd) },
      { name: `blk.${l}.attn_k.weight`, dims: [embd, embd], data: weights(embd * embd) },
      { name: `blk.${l}.attn_v.weight`, dims: [embd, embd], data: weights(embd * embd) },
      { name: `blk.${l}.attn_output.weight`, dims: [embd, embd], data: weights(embd * embd) },
      { name: `blk.${l}.ffn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `blk.${l}.ffn_gate.weight`, dims: [embd, ff], data: weights(embd * ff) },
      { name: `blk.${l}.ffn_up.weight`, dims: [embd, ff], data: weights(embd * ff) },
      { name: `blk.${l}.ffn_down.weight`, dims: [ff, embd], data: weights(ff * embd) },
    );
  }
  // An output matrix of its own (not tied to the embeddings, or the model just repeats its last
  // token), whose rows for control and byte tokens are zero: sampled text is then made of word
  // pieces, readable noise, rather than control tokens or broken UTF-8.
  const output = weights(embd * tokens.length, 0.5);
  types.forEach((type, id) => {
    if (type !== 1) output.fill(0, id * embd, (id + 1) * embd);
  });
  tensors.push({ name: "output_norm.weight", dims: [embd], data: ones(embd) }, { name: "output.weight", dims: [embd, tokens.length], data: output });
  const metadata: Record<string, MetaValue> = {
    "general.architecture": { type: "string", value: "llama" },
    "general.name": { type: "string", value: "Bora demo (random weights)" },
    "general.alignment": { type: "u32", value: 32 },
    "llama.context_length": { type: "u32", value: dims.context },
    "llama.embedding_length": { type: "u32", value: embd },
    "llama.block_count": { type: "u32", value: layers },
    "llama.feed_forward_length": { type: "u32", value: ff },
    "llama.attention.head_count": { type: "u32", value: heads },
    "llama.attention.head_count_kv": { type: "u32", value: heads },
    "llama.attention.layer_norm_rms_epsilon": { type: "f32", value: 1e-5 },
    "llama.rope.dimension_count": { type: "u32", value: embd / heads },
    "tokenizer.ggml.model": { type: "string", value: "llama" },
    "tokenizer.ggml.tokens": { type: "string[]", value: tokens },
    "tokenizer.ggml.scores": { type: "f32[]", value: scores },
    "tokenizer.ggml.token_type": { type: "i32[]", value: types },
    "tokenizer.ggml.bos_token_id": { type: "u32", value: 1 },
    "tokenizer.ggml.eos_token_id": { type: "u32", value: 2 },
    "tokenizer.ggml.unknown_token_id": { type: "u32", value: 0 },
    "tokenizer.ggml.add_bos_token": { type: "bool", value: true },
    ...(fim
      ? {
          "tokenizer.ggml.fim_suf_token_id": { type: "u32", value: tokens.indexOf("[SUFFIX]") },
          "tokenizer.ggml.fim_pre_token_id": { type: "u32", value: tokens.indexOf("[PREFIX]") },
          "tokenizer.ggml.fim_mid_token_id": { type: "u32", value: tokens.indexOf("[MIDDLE]") },
        }
      : {}),
    "tokenizer.chat_template": {
      type: "string",
      value:
        "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'system' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}",
    },
  };
  return writeGguf(metadata, tensors);
}

/** Writes the demo model into `dir` unless it is there; returns its path. */
export function ensureDemoModel(dir: string): string {
  const file = path.join(dir, demoModelFile);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, buildDemoModel());
    fs.renameSync(tmp, file);
  }
  return file;
}
