// CSV exports of usage, streamed a page at a time so a month of a large workspace never sits in
// memory: raw requests (cursor over usage events) or rows grouped by day, model and key from the
// rollups, with a totals row.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { apiKeys, noKey } from "@/db/schema";
import type { Executor, WorkspaceContext } from "./context";
import { usageEventsPage } from "./usage";
import { bounds, type UsageFilter } from "./usage-dashboard";
import { rollupTableFor } from "./usage-source";

const pageSize = 5000;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: unknown[]) => cells.map(csvCell).join(",") + "\n";

export async function* rawUsageCsv(db: Executor, ctx: WorkspaceContext, filter: UsageFilter, now = new Date()): AsyncGenerator<string> {
  const { from, to } = bounds(filter.range, now);
  yield csvLine(["time", "request_id", "key", "model", "endpoint", "origin", "status", "http_status", "prompt_tokens", "completion_tokens", "cost_usd", "latency_ms", "ttft_ms", "error_type"]);
  let before: number | undefined;
  for (;;) {
    const rows = await usageEventsPage(db, ctx, { limit: pageSize, before, key: filter.key, model: filter.model, from, to });
    let chunk = "";
    for (const e of rows) {
      chunk += csvLine([e.createdAt, e.requestId, e.keyName ?? (e.origin === "playground" ? "playground" : ""), e.model, e.endpoint, e.origin, e.status, e.httpStatus, e.promptTokens, e.completionTokens, e.cost.toFixed(9), e.latencyMs, e.ttftMs, e.errorType]);
    }
    if (chunk) yield chunk;
    if (rows.length < pageSize) return;
    before = rows.at(-1)!.id;
  }
}

export async function* groupedUsageCsv(db: Executor, ctx: WorkspaceContext, filter: UsageFilter, now = new Date()): AsyncGenerator<string> {
  const { from, to, step } = bounds(filter.range, now);
  // The table the range is aligned to (minutes for an hour's view, days for a month's).
  const usageRollups = rollupTableFor(step);
  const day = sql<Date>`date_trunc('day', ${usageRollups.bucket}, 'UTC')`;
  const rows = await db
    .select({
      day,
      model: usageRollups.model,
      keyId: usageRollups.apiKeyId,
      keyName: apiKeys.name,
      requests: sql<string>`sum(${usageRollups.requests})`,
      errors: sql<string>`sum(${usageRollups.errors})`,
      promptTokens: sql<string>`sum(${usageRollups.promptTokens})`,
      completionTokens: sql<string>`sum(${usageRollups.completionTokens})`,
      costNanos: sql<string>`sum(${usageRollups.costNanos})`,
    })
    .from(usageRollups)
    .leftJoin(apiKeys, eq(apiKeys.id, usageRollups.apiKeyId))
    .where(
      and(
        eq(usageRollups.workspaceId, ctx.workspace.id),
        gte(usageRollups.bucket, from),
        lt(usageRollups.bucket, to),
        filter.key ? eq(usageRollups.apiKeyId, filter.key) : undefined,
        filter.model ? eq(usageRollups.model, filter.model) : undefined,
      ),
    )
    .groupBy(day, usageRollups.model, usageRollups.apiKeyId, apiKeys.name)
    .orderBy(day, usageRollups.model);
  yield csvLine(["day", "model", "key", "requests", "errors", "prompt_tokens", "completion_tokens", "cost_usd"]);
  const total = { requests: 0, errors: 0, prompt: 0, completion: 0, cost: 0 };
  let chunk = "";
  for (const r of rows) {
    const [requests, errors, prompt, completion, cost] = [r.requests, r.errors, r.promptTokens, r.completionTokens, r.costNanos].map(Number) as [number, number, number, number, number];
    total.requests += requests;
    total.errors += errors;
    total.prompt += prompt;
    total.completion += completion;
    total.cost += cost;
    chunk += csvLine([new Date(r.day).toISOString().slice(0, 10), r.model, r.keyId === noKey ? "playground" : (r.keyName ?? r.keyId), requests, errors, prompt, completion, (cost / 1e9).toFixed(9)]);
  }
  yield chunk + csvLine(["total", "", "", total.requests, total.errors, total.prompt, total.completion, (total.cost / 1e9).toFixed(9)]);
}
