import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RefreshingCache } from "./refreshing-cache";

/** A loader whose calls wait until the test lets them finish, with the values they return. */
function gatedLoader() {
  const calls: { key: string; finish: (v: string) => void; fail: (e: Error) => void }[] = [];
  const load = (key: string) => new Promise<string>((finish, fail) => calls.push({ key, finish, fail }));
  return { calls, load };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("RefreshingCache", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("loads once for everyone asking at the same time, then answers without a promise", async () => {
    const { calls, load } = gatedLoader();
    const cache = new RefreshingCache(load, 2_000);
    const a = cache.get("k");
    const b = cache.get("k");
    expect(calls).toHaveLength(1);
    calls[0]!.finish("v1");
    expect(await a).toBe("v1");
    expect(await b).toBe("v1");
    expect(cache.get("k")).toBe("v1");
  });

  it("past half its age serves the cached value and reloads once in the background", async () => {
    const { calls, load } = gatedLoader();
    const cache = new RefreshingCache(load, 2_000);
    const first = cache.get("k");
    calls[0]!.finish("v1");
    await first;
    vi.setSystemTime(1_200);
    expect(cache.get("k")).toBe("v1");
    expect(cache.get("k")).toBe("v1");
    expect(calls).toHaveLength(2); // one reload, not one per request
    calls[1]!.finish("v2");
    await tick();
    expect(cache.get("k")).toBe("v2");
  });

  it("never serves a value older than its age limit: then the request waits for the database", async () => {
    const { calls, load } = gatedLoader();
    const cache = new RefreshingCache(load, 2_000);
    const first = cache.get("k");
    calls[0]!.finish("v1");
    await first;
    vi.setSystemTime(2_000);
    const next = cache.get("k");
    expect(next).toBeInstanceOf(Promise);
    calls[1]!.finish("revoked");
    expect(await next).toBe("revoked");
  });

  it("counts a value's age from when its load started, not when it came back", async () => {
    const { calls, load } = gatedLoader();
    const cache = new RefreshingCache(load, 2_000);
    const first = cache.get("k");
    vi.setSystemTime(1_500); // a slow database
    calls[0]!.finish("v1");
    await first;
    vi.setSystemTime(2_000);
    expect(cache.get("k")).toBeInstanceOf(Promise);
  });

  it("does not keep what a load read before a delete", async () => {
    const { calls, load } = gatedLoader();
    const cache = new RefreshingCache(load, 2_000);
    const before = cache.get("k");
    cache.delete("k"); // e.g. the key was revoked while the first lookup was running
    calls[0]!.finish("stale");
    expect(await before).toBe("stale"); // its own callers get it...
    const after = cache.get("k"); // ...but it is not cached
    expect(after).toBeInstanceOf(Promise);
    calls[1]!.finish("fresh");
    expect(await after).toBe("fresh");
  });

  it("does not cache a failed load, and keeps serving a young value when a background reload fails", async () => {
    const { calls, load } = gatedLoader();
    const cache = new RefreshingCache(load, 2_000);
    const failed = cache.get("k");
    calls[0]!.fail(new Error("database down"));
    await expect(failed).rejects.toThrow("database down");
    const retried = cache.get("k");
    expect(calls).toHaveLength(2);
    calls[1]!.finish("v1");
    expect(await retried).toBe("v1");
    vi.setSystemTime(1_500);
    expect(cache.get("k")).toBe("v1");
    calls[2]!.fail(new Error("database down"));
    await tick();
    expect(cache.get("k")).toBe("v1"); // still young: served, and a new reload started
    expect(calls).toHaveLength(4);
  });
});
