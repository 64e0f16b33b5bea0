// Notices between the services and the gateway's caches, so a change made through any door
// (console, management API) applies at once in this process. With REDIS_URL the notices that
// invalidate caches are also relayed to the other processes (lib/events-redis.ts); without it,
// or while Redis is unreachable, other processes pick changes up when their 2 s cache TTLs run
// out. Kept on globalThis because Next's bundles and the custom server load their own copies of
// this module.
import { EventEmitter } from "node:events";

type Events = { "catalog.changed": []; "key.changed": [prefix: string]; "workspace.limits.changed": [workspaceId: string]; "fine-tuning.queued": [jobId: string]; "fine-tuning.cancel": [jobId: string]; "batch.queued": [batchId: string] };

export type SharedEvent = "catalog.changed" | "key.changed" | "workspace.limits.changed";
/** Notices that other processes must hear: each invalidates a cache every process keeps. */
export const sharedEvents: ReadonlySet<string> = new Set<SharedEvent>(["catalog.changed", "key.changed", "workspace.limits.changed"]);

type Relay = (event: SharedEvent, args: unknown[]) => void;

const key = Symbol.for("bora.events");
const relayKey = Symbol.for("bora.events.relay");
const holder = globalThis as { [key]?: EventEmitter; [relayKey]?: Relay };
const emitter = (holder[key] ??= new EventEmitter().setMaxListeners(100));

export function emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
  emitter.emit(event, ...args);
  if (sharedEvents.has(event)) holder[relayKey]?.(event as SharedEvent, args);
}

/** A notice that came from another process: emitted here only, never relayed again. */
export function emitFromElsewhere(event: SharedEvent, args: unknown[]): void {
  emitter.emit(event, ...args);
}

/** Sends shared notices on to other processes (one relay per process; undefined stops it). */
export function setRelay(relay: Relay | undefined): void {
  holder[relayKey] = relay;
}

export function on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
  emitter.on(event, listener as (...a: unknown[]) => void);
  return () => emitter.off(event, listener as (...a: unknown[]) => void);
}
