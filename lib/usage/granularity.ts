// The rollups' time units (minute, hour, day) and how a range is read from them: whole days
// from the daily tables, the hours at a range's edges from the hourly ones and the minutes at
// theirs from minute rows. A 7-day view then reads 6 days and 24 hours instead of 168 hours: the
// sums and histograms of a day equal those of its hours (the meter writes both in one
// transaction), so the totals are the same, from a fraction of the rows.
export const granularities = ["minute", "hour", "day"] as const;
export type Granularity = (typeof granularities)[number];
export const granularityMs: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Minute rows are kept this long (lib/usage/retention.ts); older ranges read hours or days. */
export const minuteRetentionDays = 3;

/** The granularity that fits a range: minutes up to 6 hours, hours up to 8 days, days beyond. */
export function fitGranularity(from: Date, to: Date): Granularity {
  const ms = to.getTime() - from.getTime();
  return ms <= 6 * granularityMs.hour ? "minute" : ms <= 8 * granularityMs.day ? "hour" : "day";
}

/** Part of a range, aligned to and read from one granularity's tables. */
export type RangePiece = { unit: Granularity; from: Date; to: Date };

const coarsestFirst: Granularity[] = ["day", "hour", "minute"];

/**
 * The range [from, to) as the fewest rollup buckets: the coarsest unit for its middle, finer
 * ones at its edges, never finer than `finest` (the range must be aligned to it) nor coarser
 * than `coarsest` (a series bucketed by hour cannot read days). UTC, like the rollups.
 */
export function coverRange(from: Date, to: Date, finest: Granularity, coarsest: Granularity = "day"): RangePiece[] {
  const units = coarsestFirst.slice(coarsestFirst.indexOf(coarsest), coarsestFirst.indexOf(finest) + 1);
  const cover = (a: number, b: number, [unit, ...finer]: Granularity[]): RangePiece[] => {
    if (a >= b) return [];
    if (!unit) throw new Error(`range not aligned to ${finest}: ${new Date(a).toISOString()}–${new Date(b).toISOString()}`);
    const ms = granularityMs[unit];
    const start = Math.ceil(a / ms) * ms;
    const end = Math.floor(b / ms) * ms;
    if (finer.length === 0 && (start !== a || end !== b)) return cover(a, b, finer);
    if (start >= end) return cover(a, b, finer);
    return [...cover(a, start, finer), { unit, from: new Date(start), to: new Date(end) }, ...cover(end, b, finer)];
  };
  return cover(from.getTime(), to.getTime(), units);
}
