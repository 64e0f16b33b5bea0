// The rows of a raw `db.execute(sql…)`: postgres.js returns an array, PGlite an object with
// `rows`. One place that knows both, for the few queries written as plain SQL.
export function rowsOf<T = Record<string, string | number>>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
