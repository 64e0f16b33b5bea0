import { describe, expect, it } from "vitest";
import { seededRandom, splitTrainValidation, validationSize } from "./split";

describe("splitTrainValidation", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = splitTrainValidation(500, 0.1, "job-123");
    expect(splitTrainValidation(500, 0.1, "job-123")).toEqual(a);
    expect(splitTrainValidation(500, 0.1, "job-124").validation).not.toEqual(a.validation);
  });

  it("gives disjoint, ascending sets that cover every line exactly once", () => {
    const { train, validation } = splitTrainValidation(1000, undefined, "seed");
    expect(validation).toHaveLength(50);
    expect(train).toHaveLength(950);
    expect(new Set([...train, ...validation]).size).toBe(1000);
    expect([...train, ...validation].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(train).toEqual([...train].sort((x, y) => x - y));
    expect(validation).toEqual([...validation].sort((x, y) => x - y));
  });

  it("keeps at least one validation line from 20 lines and none below", () => {
    expect(splitTrainValidation(20, undefined, "s").validation).toHaveLength(1);
    expect(splitTrainValidation(19, undefined, "s")).toEqual({ train: Array.from({ length: 19 }, (_, i) => i), validation: [] });
    expect(splitTrainValidation(0, undefined, "s")).toEqual({ train: [], validation: [] });
  });

  it("sizes the validation set: rounded fraction, none for 0, at least one line left to train", () => {
    expect(validationSize(100, 0.05)).toBe(5);
    expect(validationSize(30, 0.05)).toBe(2); // 1.5 rounds up
    expect(validationSize(100, 0)).toBe(0);
    expect(validationSize(100, 1)).toBe(99);
  });

  it("rejects impossible inputs", () => {
    expect(() => splitTrainValidation(-1, undefined, "s")).toThrow(RangeError);
    expect(() => splitTrainValidation(2.5, undefined, "s")).toThrow(RangeError);
    expect(() => splitTrainValidation(10, 1.5, "s")).toThrow(RangeError);
    expect(() => splitTrainValidation(10, Number.NaN, "s")).toThrow(RangeError);
  });
});

describe("seededRandom", () => {
  it("yields the same numbers in [0, 1) for the same seed", () => {
    const draw = (seed: string) => {
      const random = seededRandom(seed);
      return Array.from({ length: 1000 }, () => random());
    };
    const numbers = draw("abc");
    expect(draw("abc")).toEqual(numbers);
    expect(numbers.every((n) => n >= 0 && n < 1)).toBe(true);
    expect(new Set(numbers).size).toBeGreaterThan(990);
    expect(draw("abd")[0]).not.toBe(numbers[0]);
  });
});
