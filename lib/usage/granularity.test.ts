import { describe, expect, it } from "vitest";
import { coverRange, type RangePiece } from "./granularity";

const at = (s: string) => new Date(`2026-11-${s}Z`);
const show = (ps: RangePiece[]) => ps.map((p) => `${p.unit} ${p.from.toISOString().slice(8, 16)}–${p.to.toISOString().slice(8, 16)}`);

describe("coverRange", () => {
  it("reads whole days from days, the edges from hours and minutes", () => {
    expect(show(coverRange(at("20T16:00"), at("27T16:00"), "hour"))).toEqual(["hour 20T16:00–21T00:00", "day 21T00:00–27T00:00", "hour 27T00:00–27T16:00"]);
    expect(show(coverRange(at("27T10:53"), at("27T12:31"), "minute"))).toEqual(["minute 27T10:53–27T11:00", "hour 27T11:00–27T12:00", "minute 27T12:00–27T12:31"]);
    expect(show(coverRange(at("01T00:00"), at("28T00:00"), "day"))).toEqual(["day 01T00:00–28T00:00"]);
  });

  it("stays within one unit when no coarser bucket fits, and never goes coarser than asked", () => {
    expect(show(coverRange(at("27T10:53"), at("27T10:58"), "minute"))).toEqual(["minute 27T10:53–27T10:58"]);
    expect(show(coverRange(at("26T22:00"), at("28T02:00"), "hour", "hour"))).toEqual(["hour 26T22:00–28T02:00"]);
    expect(coverRange(at("27T10:00"), at("27T10:00"), "hour")).toEqual([]);
  });

  it("refuses a range not aligned to its finest unit", () => {
    expect(() => coverRange(at("27T10:30"), at("27T12:00"), "hour")).toThrow(/not aligned/);
  });
});
