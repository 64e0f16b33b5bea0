// Reads the `data:` payloads of a server-sent event stream as they arrive.
export async function* sseData(stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream) {
    buffer += (typeof chunk === "string" ? chunk : chunk.toString("utf8")).replace(/\r\n/g, "\n");
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(line.startsWith("data: ") ? 6 : 5))
        .join("\n");
      if (data) yield data;
    }
  }
}
