// Cache-invalidating notices (lib/events.ts) across processes on Redis pub/sub: each process
// publishes its own and re-emits the others'. A subscribed connection can run no other command,
// so it is a second connection beside the shared one. Pub/sub is fire-and-forget: a notice sent
// while a process is disconnected is lost, and the 2 s cache TTLs remain the fallback.
import crypto from "node:crypto";
import type Redis from "ioredis";
import { emitFromElsewhere, setRelay, sharedEvents, type SharedEvent } from "@/lib/events";
import { log } from "@/lib/log";

export const eventsChannel = "bora:events";

type Message = { from: string; event: SharedEvent; args: unknown[] };

/** Starts relaying; returns the function that stops it. */
export async function bridgeEvents(client: Redis): Promise<() => Promise<void>> {
  // Tells this process's own messages apart when they come back on the channel.
  const self = crypto.randomUUID();
  const subscriber = client.duplicate();
  subscriber.on("error", (err) => log.warn("redis subscriber", { err: err.message }));
  subscriber.on("message", (channel: string, text: string) => {
    if (channel !== eventsChannel) return;
    let m: Message;
    try {
      m = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (m.from === self || !sharedEvents.has(m.event) || !Array.isArray(m.args)) return;
    emitFromElsewhere(m.event, m.args);
  });
  // Bounded: Redis being down must not keep Bora from starting; ioredis subscribes once it connects.
  const subscribed = subscriber.subscribe(eventsChannel).catch((err: Error) => log.warn("subscribing on redis failed", { err: err.message }));
  await Promise.race([subscribed, new Promise((r) => setTimeout(r, 2_000).unref())]);
  setRelay((event, args) => {
    client.publish(eventsChannel, JSON.stringify({ from: self, event, args } satisfies Message)).catch((err: Error) => log.warn("publishing a notice on redis failed", { event, err: err.message }));
  });
  return async () => {
    setRelay(undefined);
    await subscriber.quit().catch(() => {});
  };
}
