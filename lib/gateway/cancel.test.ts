import { describe, expect, it } from "vitest";
import { Cancel } from "./cancel";

describe("Cancel", () => {
  it("calls listeners once, makes its signal only when asked, and an asked signal follows", () => {
    const c = new Cancel();
    let calls = 0;
    const stop = c.on(() => calls++);
    c.on(() => calls++)();
    c.cancel();
    c.cancel();
    expect(calls).toBe(1);
    stop();
    expect(c.signal.aborted).toBe(true);
    let late = 0;
    c.on(() => late++);
    expect(late).toBe(1);
  });
});
