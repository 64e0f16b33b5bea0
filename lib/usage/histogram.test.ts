import { describe, expect, it } from "vitest";
import { addHistograms, addToHistogram, bucketOf, histogramBounds, histogramFrom, quantile } from "./histogram";

describe("latency histograms", () => {
  it("put a value in the bucket whose lower bound is the largest one not above it", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1)).toBe(1);
    expect(bucketOf(7)).toBe(6);
    expect(bucketOf(8)).toBe(7);
    expect(bucketOf(10 ** 9)).toBe(histogramBounds.length);
    for (let i = 1; i < histogramBounds.length; i++) expect(histogramBounds[i]! / histogramBounds[i - 1]!).toBeLessThanOrEqual(2);
  });

  it("stay trimmed when built and summed, and parse either driver's arrays", () => {
    const a: number[] = [];
    addToHistogram(a, 3);
    expect(a).toEqual([0, 0, 0, 1]);
    expect(addHistograms(a, [1])).toEqual([1, 0, 0, 1]);
    expect(histogramFrom("{1,0,2}")).toEqual([1, 0, 2]);
    expect(histogramFrom(["4", "5"])).toEqual([4, 5]);
    expect(histogramFrom("{}")).toEqual([]);
  });

  it("estimate quantiles inside the right bucket", () => {
    const h: number[] = [];
    for (let v = 1; v <= 10_000; v++) addToHistogram(h, v);
    for (const p of [0.5, 0.9, 0.95, 0.99]) expect(Math.abs(quantile(h, p)! - p * 10_000) / (p * 10_000)).toBeLessThan(0.125);
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([3], 0.99)).toBe(0);
  });
});
