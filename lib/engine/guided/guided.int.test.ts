// The 1,000-answer test: seeded answers from the random-weight demo model, across every schema
// in schemas.fixture.ts, whole and streamed, each checked with a fresh ajv. A random model tries
// every path a grammar leaves open, so a gap in the converter shows up here.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoModelFile, ensureDemoModel } from "@/lib/engine/demo-model/build-demo-model";
import { LocalEngine } from "@/lib/engine/local-engine";
import { guidedSchemas } from "./schemas.fixture";

let dir: string;
let engine: LocalEngine;
const signal = new AbortController().signal;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bora-guided-"));
  ensureDemoModel(dir);
  // Eight sequences decode in one batch: about twice the answers per second of one at a time.
  engine = new LocalEngine(dir, { sequences: 8, maxQueue: 1_000 });
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function answer(schema: object, seed: number, stream: boolean, maxTokens: number): Promise<{ content: string; finish: string }> {
  const res = await engine.call("chat", { model: demoModelFile, messages: [{ role: "user", content: `Answer ${seed}` }], max_tokens: maxTokens, random_seed: seed, stream, response_format: { type: "json_schema", json_schema: { name: "t", schema, strict: true } } }, signal);
  const text = await res.body.text();
  if (!stream) {
    const body = JSON.parse(text) as { choices: { message: { content: string }; finish_reason: string }[] };
    return { content: body.choices[0]!.message.content, finish: body.choices[0]!.finish_reason };
  }
  let content = "";
  let finish = "";
  for (const event of text.split("\n\n")) {
    if (!event.startsWith("data: {")) continue;
    const chunk = JSON.parse(event.slice(6)) as { choices: { delta: { content?: string }; finish_reason: string | null }[] };
    content += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { content, finish };
}

describe("guided decoding with the random-weight demo model", () => {
  it("1,000 seeded answers across every schema all validate with ajv", { timeout: 300_000 }, async () => {
    const ajv = new Ajv({ strict: false });
    const entries = Object.entries(guidedSchemas);
    expect(entries.length).toBeGreaterThanOrEqual(20);
    const started = Date.now();
    const failures: string[] = [];
    const seen = new Map<string, Set<string>>();
    await Promise.all(
      Array.from({ length: 1_000 }, async (_, i) => {
        const [name, schema] = entries[i % entries.length]!;
        // Each answer is caught on its own, so one failure is reported with all the others.
        const got = await answer(schema, i, i % 4 === 0, 128).catch((err: Error) => err);
        if (got instanceof Error) {
          failures.push(`${name} #${i}: ${got.message}`);
          return;
        }
        const { content, finish } = got;
        let value: unknown;
        try {
          value = JSON.parse(content);
        } catch {
          failures.push(`${name} #${i}: not JSON: ${content}`);
          return;
        }
        const validate = ajv.compile(schema);
        if (!validate(value)) failures.push(`${name} #${i}: ${content} (${ajv.errorsText(validate.errors)})`);
        if (finish !== "stop") failures.push(`${name} #${i}: finish_reason ${finish}`);
        (seen.get(name) ?? seen.set(name, new Set()).get(name)!).add(content);
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`1,000 guided answers in ${seconds.toFixed(1)} s`);
    expect(failures).toEqual([]);
    // The answers differ: the grammar constrains, the seeds still choose.
    for (const [name, contents] of seen) if (!["const"].includes(name)) expect(contents.size, name).toBeGreaterThan(1);
  });
});
