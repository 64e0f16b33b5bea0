import path from "node:path";
import { describe, expect, it } from "vitest";
import { syntheticJob } from "./fixtures";
import { generate, loadTrainedModel } from "./generate";
import { createModel, defaultShape } from "./model";
import { createRng } from "./rng";
import { train } from "./train";
import { renderPrompt } from "./transcript";

describe("reference trainer generation", () => {
  it("answers in the shape it was trained on, stops at the end of the message, and repeats itself given the seed", async () => {
    const { spec } = await syntheticJob();
    await train(spec, { emit: () => {} });
    const trained = await loadTrainedModel(path.join(spec.output_dir, "checkpoint-200.json"));
    const prompt = renderPrompt([
      { role: "system", content: "You are a terse helper." },
      { role: "user", content: "What color is the sky?" },
    ]);

    // Greedy decoding: the model's single most likely answer is a whole sentence of the trained form.
    expect(generate(trained, prompt, 80, 1, 0)).toMatch(/^The [a-z]+ is [a-z]+\.$/);
    const sampled = generate(trained, prompt, 80, 42);
    expect(sampled.length).toBeGreaterThan(0);
    expect(sampled.length).toBeLessThan(80);
    expect(generate(trained, prompt, 80, 42)).toBe(sampled);
    expect(generate(trained, prompt, 5, 42)).toBe(sampled.slice(0, 5));
  }, 30_000);

  it("produces nothing of the kind before training", () => {
    const vocabulary = ["", ...Array.from("\u0002\u0003\n .?Tabcdehilnorstuy")];
    const untrained = { model: createModel({ vocabulary: vocabulary.length, ...defaultShape }, createRng(1)), vocabulary };
    expect(generate(untrained, renderPrompt([{ role: "user", content: "What color is the sky?" }]), 40, 1)).not.toMatch(/^The [a-z]+ is [a-z]+\.$/);
  });
});
