import { describe, expect, it } from "vitest";
import { monthOf, monthStart, msToNextMonth } from "./monthly-quota";

const hour = 3_600_000;

describe("the month of a quota, in the workspace's time zone", () => {
  it("is the calendar month where the workspace is", () => {
    const lateNov30Utc = new Date("2026-11-30T23:30:00Z");
    expect(monthOf(lateNov30Utc, "UTC")).toBe("2026-11");
    expect(monthOf(lateNov30Utc, "Europe/Paris")).toBe("2026-12"); // 00:30 on Dec 1 in Paris
    expect(monthOf(new Date("2026-12-01T03:00:00Z"), "America/New_York")).toBe("2026-11"); // 22:00 on Nov 30
    expect(monthOf(new Date("2026-12-31T12:00:00Z"), "Pacific/Kiritimati")).toBe("2027-01"); // UTC+14
  });

  it("changes on the millisecond the month does, though it remembers the last month asked for", () => {
    const midnightParis = Date.parse("2026-11-30T23:00:00Z");
    expect(monthOf(new Date(midnightParis - 1), "Europe/Paris")).toBe("2026-11");
    expect(monthOf(new Date(midnightParis), "Europe/Paris")).toBe("2026-12");
    expect(monthOf(new Date(midnightParis - 1), "Europe/Paris")).toBe("2026-11");
    expect(monthOf(new Date(midnightParis - 1), "UTC")).toBe("2026-11");
    expect(monthOf(new Date(midnightParis + hour), "UTC")).toBe("2026-12");
  });

  it("resets at midnight on the 1st there, across daylight saving changes too", () => {
    expect(msToNextMonth(new Date("2026-11-30T22:00:00Z"), "Europe/Paris")).toBe(1 * hour); // Dec 1 00:00 CET = 23:00 UTC
    expect(msToNextMonth(new Date("2026-03-31T20:00:00Z"), "Europe/Paris")).toBe(2 * hour); // Apr 1 00:00 CEST = 22:00 UTC
    expect(msToNextMonth(new Date("2026-11-30T23:00:00Z"), "UTC")).toBe(1 * hour);
    expect(msToNextMonth(new Date("2026-10-31T12:00:00Z"), "America/New_York")).toBe(16 * hour); // Nov 1 00:00 EDT = 04:00 UTC
    expect(monthStart(new Date("2026-11-15T12:00:00Z"), "Europe/Paris").toISOString()).toBe("2026-10-31T23:00:00.000Z");
    expect(monthStart(new Date("2026-11-15T12:00:00Z"), "Asia/Kolkata").toISOString()).toBe("2026-10-31T18:30:00.000Z");
  });
});
