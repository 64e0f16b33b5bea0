// In-process notices between the services and the gateway's caches, so a change made through
// any door (console, management API) applies at once in this process; other processes pick it
// up when their short cache TTLs run out. Kept on globalThis because Next's bundles and the
// custom server load their own copies of this module.
import { EventEmitter } from "node:events";

type Events = { "catalog.changed": []; "key.changed": [prefix: string]; "workspace.limits.changed": [workspaceId: string]; "fine-tuning.queued": [jobId: string]; "fine-tuning.cancel": [jobId: string]; "batch.queued": [batchId: string] };

const key = Symbol.for("bora.events");
const holder = globalThis as { [key]?: EventEmitter };
const emitter = (holder[key] ??= new EventEmitter().setMaxListeners(100));

export function emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
  emitter.emit(event, ...args);
}

export function on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
  emitter.on(event, listener as (...a: unknown[]) => void);
  return () => emitter.off(event, listener as (...a: unknown[]) => void);
}
