// Long texts are counted on the counting thread, with the same result as on the main thread, and
// the event loop keeps turning meanwhile.
import { describe, expect, it } from "vitest";
import { validateDataset } from "@/lib/datasets/validate";
import { countTexts, validateDatasetOffThread } from "./tokens-off-thread";
import { countTokens } from "./tokens";

// A SentencePiece vocabulary: hundreds of milliseconds for this text on the main thread.
const model = "open-mistral-7b";
const long = "The gateway counts what a client received before it went away, line by line.\n".repeat(1_500);

describe("counting off the event loop", () => {
  it("counts a long text on the counting thread while timers still run here", async () => {
    const order: string[] = [];
    const counted = countTexts(model, [long, "and a short one"]).then((n) => {
      order.push("counted");
      return n;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    order.push("timer");
    expect(await counted).toBe(countTokens(model, long) + countTokens(model, "and a short one"));
    expect(order).toEqual(["timer", "counted"]);
  });

  it("counts short texts in place", async () => {
    expect(await countTexts(model, ["Hello", " there"])).toBe(countTokens(model, "Hello") + countTokens(model, " there"));
  });

  it("validates a fine-tuning dataset on the counting thread, with the model's tokenizer", async () => {
    const good = JSON.stringify({ messages: [{ role: "user", content: "Hello there" }, { role: "assistant", content: "General Kenobi" }] });
    const text = [good, "{not json"].join("\n");
    const report = await validateDatasetOffThread(text, model, 10);
    expect(report).toMatchObject({ lines: 2, validLines: 1, errors: [{ line: 2, field: null }] });
    expect(report.totalTokens).toBeGreaterThan(countTokens(model, "Hello there") + countTokens(model, "General Kenobi"));
    expect(report).toEqual(validateDataset(text, { countTokens: (t) => countTokens(model, t), maxErrors: 10 }));
  });
});
