// Reads the `data:` payloads of a server-sent event stream as they arrive.

/** Splits a stream's bytes into events' payloads: push each read, get the payloads it completes. */
export class SseParser {
  private buffer = "";

  push(chunk: Buffer | string): string[] {
    this.buffer += (typeof chunk === "string" ? chunk : chunk.toString("utf8")).replace(/\r\n/g, "\n");
    const batch: string[] = [];
    let start = 0;
    let end: number;
    while ((end = this.buffer.indexOf("\n\n", start)) >= 0) {
      const data = eventData(this.buffer.slice(start, end));
      start = end + 2;
      if (data) batch.push(data);
    }
    // One slice per read, not one per event.
    if (start > 0) this.buffer = this.buffer.slice(start);
    return batch;
  }
}

/**
 * The payloads that each read of the stream completes, as one array per read: a stream's events
 * mostly arrive a dozen to a read, and yielding them one by one from an async generator cost a
 * promise and its microtasks per event.
 */
export async function* sseBatches(stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<string[]> {
  const parser = new SseParser();
  for await (const chunk of stream) {
    const batch = parser.push(chunk);
    if (batch.length) yield batch;
  }
}

/** The payloads one at a time, where the cost per event does not matter. */
export async function* sseData(stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<string> {
  for await (const batch of sseBatches(stream)) yield* batch;
}

function eventData(event: string): string {
  // Nearly every event is one `data: …` line: no need to split it into lines.
  if (!event.includes("\n")) return event.startsWith("data:") ? event.slice(event.startsWith("data: ") ? 6 : 5) : "";
  return event
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(line.startsWith("data: ") ? 6 : 5))
    .join("\n");
}
