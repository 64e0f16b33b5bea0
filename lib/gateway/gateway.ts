// The gateway's long-lived parts, created once per process: key resolution, the model catalog,
// the circuit breaker, the usage meter and the file store.
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { DirectoryFileStore, type FileStore } from "@/lib/files/store";
import { Catalog } from "./catalog";
import { CircuitBreaker } from "./circuit-breaker";
import { KeyResolver } from "./keys";
import type Redis from "ioredis";
import { Limits } from "./limits";
import { Meter } from "./metering";

export class Gateway {
  readonly keys: KeyResolver;
  readonly catalog: Catalog;
  readonly breaker = new CircuitBreaker();
  readonly meter: Meter;
  readonly limits: Limits;
  /** Streams and requests in flight, so shutdown can wait for them. */
  inFlight = 0;

  constructor(
    readonly db: Db,
    /** BORA_SECRET: signs file links here, besides opening provider keys in the catalog. */
    readonly secret: string,
    redis: Redis | null = null,
    readonly files: FileStore = new DirectoryFileStore(path.resolve("data/files")),
    readonly maxFileBytes = 512 * 1024 * 1024,
  ) {
    this.keys = new KeyResolver(db);
    this.limits = new Limits(db, redis);
    this.catalog = new Catalog(db, secret);
    this.meter = new Meter(db);
  }

  /** Waits (up to `ms`) for requests in flight, then writes the last usage events. */
  async drain(ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await this.meter.close();
  }
}
