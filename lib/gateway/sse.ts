// Reads the `data:` payloads of a server-sent event stream as they arrive.
export async function* sseData(stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream) {
    buffer += (typeof chunk === "string" ? chunk : chunk.toString("utf8")).replace(/\r\n/g, "\n");
    let start = 0;
    let end: number;
    while ((end = buffer.indexOf("\n\n", start)) >= 0) {
      const data = eventData(buffer.slice(start, end));
      start = end + 2;
      if (data) yield data;
    }
    // One slice per read, not one per event.
    if (start > 0) buffer = buffer.slice(start);
  }
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
