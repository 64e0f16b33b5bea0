// The gateway's long-lived parts, created once per process: key resolution, the model catalog,
// the circuit breaker and the usage meter.
import type { Db } from "@/lib/db/client";
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

  constructor(readonly db: Db, secret: string, redis: Redis | null = null) {
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
