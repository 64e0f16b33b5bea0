// The Redis connection, when REDIS_URL is set: shared limit state for several replicas.
import Redis from "ioredis";
import { getConfig } from "@/lib/config";

const key = Symbol.for("bora.redis");
const holder = globalThis as { [key]?: Redis | null };

export function redisFor(url: string | undefined): Redis | null {
  if (!url) return null;
  if (holder[key] === undefined) {
    // Fail commands fast rather than queue them forever while Redis is down: a limit check that
    // cannot reach Redis must answer (with an error) within the request's time.
    holder[key] = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  }
  return holder[key] ?? null;
}

export function redis(): Redis | null {
  return redisFor(getConfig().REDIS_URL);
}

export async function closeRedis(): Promise<void> {
  const client = holder[key];
  holder[key] = undefined;
  await client?.quit().catch(() => {});
}
