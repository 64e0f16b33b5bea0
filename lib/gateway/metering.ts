// Usage events are buffered in memory and written in batches, so no request waits on the
// database. The buffer flushes every half second or at 500 events, and on shutdown; a failed
// write keeps the events for the next attempt.
import { usageEvents, type NewUsageEvent } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";

const flushEveryMs = 500;
const batchSize = 500;
// Past this the oldest events are dropped (and said so): better than running out of memory
// while the database is down.
const maxBuffered = 200_000;

export class Meter {
  private buffer: NewUsageEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly db: Db) {
    this.timer = setInterval(() => void this.flush(), flushEveryMs);
    this.timer.unref();
  }

  record(event: NewUsageEvent): void {
    this.buffer.push(event);
    if (this.buffer.length > maxBuffered) {
      const dropped = this.buffer.splice(0, this.buffer.length - maxBuffered);
      log.error("usage buffer full: dropped events", { dropped: dropped.length });
    }
    if (this.buffer.length >= batchSize) void this.flush();
  }

  /** Writes everything buffered so far. Concurrent calls share one write. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer.splice(0, this.buffer.length);
    this.flushing = (async () => {
      let written = 0;
      try {
        for (; written < batch.length; written += batchSize) await this.db.insert(usageEvents).values(batch.slice(written, written + batchSize));
      } catch (err) {
        // Only what was not written goes back: each insert is all-or-nothing.
        log.error("writing usage events failed; will retry", { err, events: batch.length - written });
        this.buffer.unshift(...batch.slice(written));
      }
    })();
    await this.flushing;
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }
}
