// A limit as typed into a form, the CLI or the management API: a whole number from 1, or
// nothing. Per-minute and concurrency limits are Postgres `integer` columns, so they stop at
// its largest value; past it the insert failed as an internal error rather than a clear one.
import { z } from "zod";

export const largestInteger = 2_147_483_647;

export const limitInput = (what: string, max = largestInteger) =>
  z.coerce
    .number()
    .int(`${what} must be a whole number.`)
    .min(1, `${what} must be at least 1.`)
    .max(max, `${what} must be at most ${max.toLocaleString("en-US")}.`)
    .nullable()
    .optional();
