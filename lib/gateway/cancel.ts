// A request's cancellation, for when its client goes away. An AbortSignal is made only when
// something asks for one (the local engine, a retry's backoff): making one per request, and
// listening on it, was about 2% of a proxied request's CPU, and upstream calls need none.

export class Cancel {
  cancelled = false;
  private controller: AbortController | undefined;
  private listeners: (() => void)[] = [];

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.controller?.abort();
    for (const listener of this.listeners.splice(0)) listener();
  }

  /** Calls `listener` once, on cancel (at once when already cancelled); returns its removal. */
  on(listener: () => void): () => void {
    if (this.cancelled) {
      listener();
      return () => {};
    }
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.cancelled) this.controller.abort();
    }
    return this.controller.signal;
  }
}
