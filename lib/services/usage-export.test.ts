import { describe, expect, it } from "vitest";
import { csvLine } from "./usage-export";

describe("csvLine", () => {
  it("quotes cells with commas, quotes and newlines, and leaves the rest bare", () => {
    expect(csvLine(["a", 1, null, undefined, 'say "hi", then\nbye', new Date("2026-11-27T00:00:00Z")])).toBe('a,1,,,"say ""hi"", then\nbye",2026-11-27T00:00:00.000Z\n');
  });
});
