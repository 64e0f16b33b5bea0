import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "./circuit-breaker";

describe("CircuitBreaker", () => {
  it("opens after consecutive failures, lets one trial through later, and closes on success", () => {
    let t = 0;
    const cb = new CircuitBreaker(3, 1000, () => t);
    cb.failure("d");
    cb.failure("d");
    expect(cb.allow("d")).toBe(true);
    cb.failure("d");
    expect(cb.isOpen("d")).toBe(true);
    expect(cb.allow("d")).toBe(false);
    t = 1500;
    expect(cb.allow("d")).toBe(true); // the half-open trial
    expect(cb.allow("d")).toBe(false); // only one at a time
    cb.success("d");
    expect(cb.allow("d")).toBe(true);
    expect(cb.isOpen("d")).toBe(false);
  });

  it("re-opens when the trial fails", () => {
    let t = 0;
    const cb = new CircuitBreaker(1, 1000, () => t);
    cb.failure("d");
    t = 1001;
    expect(cb.allow("d")).toBe(true);
    cb.failure("d");
    expect(cb.allow("d")).toBe(false);
  });
});
