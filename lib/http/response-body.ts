// An HTTP answer's body as our client (client.ts) hands it over: chunks pushed to one reader, with
// no stream in between. Reading through a stream per answer (undici's request() body, an async
// iterator) cost its events, buffering and a promise per read on every proxied request; the
// gateway reads each body exactly once, whole (JSON) or chunk by chunk (SSE), so it needs none.

/** Gets each chunk; returns true to stop reading (the rest of the body is then dropped). */
export type ChunkReader = (chunk: Buffer) => boolean | void;

export class ResponseBody {
  // Chunks that came before a reader did.
  private early: Buffer[] = [];
  private reader: ChunkReader | undefined;
  private settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private outcome: "open" | "ended" | "stopped" | Error = "open";

  /** `abort`: stops the upstream request (its connection is closed). */
  constructor(private readonly abort: (reason: Error) => void) {}

  /** Whether the whole body has come. */
  get ended(): boolean {
    return this.outcome === "ended";
  }

  /**
   * Hands the body's chunks to `reader`, from the first, until it returns true or the body
   * ends; rejects when the upstream fails first, or `reader` throws (the request is then stopped).
   */
  read(reader: ChunkReader): Promise<void> {
    if (this.reader || this.settle) return Promise.reject(new Error("A response body is read once."));
    if (this.outcome instanceof Error) return Promise.reject(this.outcome);
    const done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.reader = reader;
    // What came before the reader takes the path of what comes after it.
    const early = this.early;
    this.early = [];
    for (const chunk of early) if (this.reading) this.push(chunk);
    if (this.outcome === "ended") this.finish()?.resolve();
    return done;
  }

  // A getter, so the check above is made after each push (which may stop the reader).
  private get reading(): boolean {
    return this.reader !== undefined;
  }

  /** The whole body as text. */
  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    await this.read((chunk) => void chunks.push(chunk));
    return chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
  }

  /** Stops the request unless the body has ended: a reader that will not read on. */
  cancel(reason: Error): void {
    if (this.outcome === "ended" || this.outcome instanceof Error) return;
    this.fail(reason);
    this.abort(reason);
  }

  // From the HTTP client (client.ts), as the answer comes.

  push(chunk: Buffer): void {
    if (this.outcome === "stopped") return;
    const reader = this.reader;
    if (!reader) {
      if (this.outcome === "open") this.early.push(chunk);
      return;
    }
    let stop: boolean | void;
    try {
      stop = reader(chunk);
    } catch (err) {
      // Rejected here, not by fail(): a body that has ended takes no failure, but its reader's still counts.
      const settle = this.finish();
      this.fail(err as Error);
      this.abort(err as Error);
      settle?.reject(err as Error);
      return;
    }
    if (stop) this.stopReading();
  }

  end(): void {
    if (this.outcome instanceof Error) return;
    this.outcome = "ended";
    this.finish()?.resolve();
  }

  fail(err: Error): void {
    if (this.outcome === "ended" || this.outcome instanceof Error) return;
    const wasStopped = this.outcome === "stopped";
    this.outcome = err;
    this.early = [];
    // A reader that stopped already has its answer; the error is only remembered.
    if (!wasStopped) this.finish()?.reject(err);
  }

  // The reader is done; what still comes is dropped until the end.
  private stopReading() {
    if (this.outcome === "open") this.outcome = "stopped";
    this.finish()?.resolve();
  }

  private finish() {
    const settle = this.settle;
    this.reader = undefined;
    this.settle = undefined;
    return settle;
  }
}
