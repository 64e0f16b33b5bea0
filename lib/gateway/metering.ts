// Usage events are buffered in memory and written in batches (usage-writer.ts), so no request
// waits on the database. The buffer flushes every half second or once 2,000 events wait, and on
// shutdown; a failed write keeps the events for the next attempt.
import { lt } from "drizzle-orm";
import { requestLogs, type NewUsageEvent } from "@/db/schema";
import { pruneUsage } from "@/lib/usage/retention";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { observeUsage } from "@/lib/metrics/registry";
import { annotate, tracingOn } from "@/lib/tracing";
import { writeUsageEvents } from "./usage-writer";

const flushEveryMs = 500;
const purgeEveryMs = 3_600_000;
// A write has a fixed cost (planning its statement, the rollups' upserts) that large batches
// share: on PGlite a statement of 500 events cost 23–30 µs an event, one of 2,000 about 12.
// Past 5,000 a statement's run would hold PGlite's one connection long enough to delay the console.
const flushAt = 2_000;
const eventsPerStatement = 5_000;
// Past this the oldest events are dropped (and said so): better than running out of memory
// while the database is down.
const maxBuffered = 200_000;

export type NewRequestLog = typeof requestLogs.$inferInsert;

export class Meter {
  private buffer: NewUsageEvent[] = [];
  // Bodies of workspaces that keep them; written with each flush, before its events.
  private logs: NewRequestLog[] = [];
  private timer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  // When the oldest event of the write in progress was recorded (ms), for the flush lag.
  private writingSince: number | undefined;
  // Events of the write in progress not yet committed: still pending.
  private writing = 0;
  // Events still being counted (relay.ts): recorded when their count is done.
  private readonly counting = new Set<Promise<unknown>>();

  constructor(private readonly db: Db) {
    this.timer = setInterval(() => void this.flush(), flushEveryMs);
    this.timer.unref();
    this.purgeTimer = setInterval(() => {
      void this.purgeExpiredLogs().catch((err) => log.error("purging request logs failed", { err }));
      void pruneUsage(this.db).catch((err) => log.error("pruning raw usage events failed", { err }));
    }, purgeEveryMs);
    this.purgeTimer.unref();
  }

  record(event: NewUsageEvent, body?: NewRequestLog): void {
    if (body) this.logs.push(body);
    // Stamped now: the event and its rollups must fall in the same minute, hour and day.
    this.buffer.push(event.createdAt ? event : { ...event, createdAt: new Date() });
    // Here and only here: /metrics then counts exactly what usage_events will hold.
    observeUsage(event);
    if (tracingOn()) annotate({ "bora.workspace_id": event.workspaceId, "bora.api_key_id": event.apiKeyId ?? "", "bora.model": event.model, "bora.status": event.status, "gen_ai.usage.input_tokens": event.promptTokens ?? 0, "gen_ai.usage.output_tokens": event.completionTokens ?? 0 });
    if (this.buffer.length > maxBuffered) {
      const dropped = this.buffer.splice(0, this.buffer.length - maxBuffered);
      log.error("usage buffer full: dropped events", { dropped: dropped.length });
    }
    // One flush at a time: what arrives meanwhile waits for the next.
    if (this.buffer.length >= flushAt && !this.flushing) void this.flush();
  }

  /** An event being worked out (its tokens counted) that close() must wait for before the last write. */
  waitFor(recording: Promise<unknown>): void {
    const tracked = recording.catch((err: unknown) => log.error("recording a usage event failed", { err })).finally(() => this.counting.delete(tracked));
    this.counting.add(tracked);
  }

  /** Writes everything buffered so far. Concurrent calls share one write. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.logs.length === 0) return;
    const batch = this.buffer.splice(0, this.buffer.length);
    const logs = this.logs.splice(0, this.logs.length);
    this.writingSince = stampOf(batch[0]);
    this.writing = batch.length;
    this.flushing = (async () => {
      let written = 0;
      try {
        if (logs.length) await this.db.insert(requestLogs).values(logs);
        logs.length = 0;
        for (; written < batch.length; written += eventsPerStatement) {
          await writeUsageEvents(this.db, batch.slice(written, written + eventsPerStatement));
          this.writing = Math.max(0, batch.length - written - eventsPerStatement);
        }
      } catch (err) {
        // Only what was not written goes back: each insert is all-or-nothing.
        log.error("writing usage events failed; will retry", { err, events: batch.length - written });
        // Not unshift(...rest): spread arguments overflow the stack past about 100,000 events.
        this.buffer = batch.slice(written).concat(this.buffer);
        this.logs = logs.concat(this.logs);
        this.writing = 0;
      }
    })();
    await this.flushing;
    this.flushing = undefined;
    this.writingSince = undefined;
  }

  /** Deletes bodies past their retention. Runs hourly; returns how many went. */
  async purgeExpiredLogs(now = new Date()): Promise<number> {
    const gone = await this.db.delete(requestLogs).where(lt(requestLogs.expiresAt, now)).returning({ id: requestLogs.id });
    return gone.length;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.purgeTimer);
    await Promise.all(this.counting);
    await this.flush();
  }

  /** Events not yet written: being counted, buffered, or in a write not yet committed. */
  get pending(): number {
    return this.counting.size + this.buffer.length + this.writing;
  }

  /** When the oldest event not yet written was recorded (ms since the epoch); undefined when none waits. */
  get oldestPendingAt(): number | undefined {
    return this.writingSince ?? stampOf(this.buffer[0]);
  }
}

function stampOf(e: NewUsageEvent | undefined): number | undefined {
  return e?.createdAt instanceof Date ? e.createdAt.getTime() : undefined;
}
