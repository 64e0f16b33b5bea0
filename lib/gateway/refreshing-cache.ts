// What the gateway keeps of the database (keys, the model catalog, workspace limits), by key.
// A value is never used past `maxAgeMs`: that bounds how long a change made elsewhere (a key
// revoked on another replica) goes unseen. Past half that age, a request still gets the cached
// value without waiting, and one reload starts in the background; so under steady traffic no
// request waits on the database, where before every request arriving as an entry expired did
// (each 2 s, for as long as a metering write held the database).
export class RefreshingCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  // Bumped by delete() and clear(): a load that started before a change is not kept after it.
  private generation = 0;

  constructor(
    private readonly load: (key: string) => Promise<V>,
    private readonly maxAgeMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  /** The value, without a promise when a young enough one is cached. */
  get(key: string): V | Promise<V> {
    const hit = this.entries.get(key);
    const age = hit ? Date.now() - hit.at : Infinity;
    if (age < this.maxAgeMs) {
      if (age >= this.maxAgeMs / 2) void this.reload(key).catch(() => {}); // the next one waits if this failed
      return hit!.value;
    }
    return this.reload(key);
  }

  /** Forgets a key now: the next request reads the database. */
  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
    this.loading.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.loading.clear();
  }

  // One load per key at a time; what arrives meanwhile waits for the same one.
  private reload(key: string): Promise<V> {
    const running = this.loading.get(key);
    if (running) return running;
    const generation = this.generation;
    const started = Date.now();
    const loaded = this.load(key).then(
      (value) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        if (generation === this.generation) {
          if (this.entries.size >= this.maxEntries) this.entries.clear();
          this.entries.set(key, { value, at: started });
        }
        return value;
      },
      (err: unknown) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }
}
