import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { modeFromFlags, modeRefusal, rolesOf } from "./modes";

const secret = "a-secret-that-is-long-enough-for-bora-0000";

describe("process modes", () => {
  it("reads one mode from the serve flags; none is all-in-one; two is an error", () => {
    expect(modeFromFlags({})).toBe("all");
    expect(modeFromFlags({ gateway: true })).toBe("gateway");
    expect(modeFromFlags({ worker: true, gateway: false })).toBe("worker");
    expect(() => modeFromFlags({ gateway: true, console: true })).toThrow(/not --gateway and --console/);
  });

  it("refuses every split mode on PGlite, and without a shared BORA_SECRET", () => {
    for (const mode of ["gateway", "worker", "console"] as const) {
      expect(modeRefusal(mode, getConfig({ BORA_SECRET: secret }))).toMatch(/DATABASE_URL.*PGlite/);
      expect(modeRefusal(mode, getConfig({ DATABASE_URL: "postgres://db/bora" }))).toMatch(/BORA_SECRET/);
      expect(modeRefusal(mode, getConfig({ DATABASE_URL: "postgres://db/bora", BORA_SECRET: secret }))).toBeUndefined();
    }
    expect(modeRefusal("all", getConfig({}))).toBeUndefined();
  });

  it("gives each part of Bora to exactly one kind of split process", () => {
    const split = (["gateway", "worker", "console"] as const).map(rolesOf);
    expect(split.filter((r) => r.v1 === "public")).toHaveLength(1);
    expect(split.filter((r) => r.workers)).toHaveLength(1);
    expect(split.filter((r) => r.console)).toHaveLength(1);
    expect(rolesOf("all")).toEqual({ v1: "public", console: true, workers: true, bootstrap: true });
  });
});
