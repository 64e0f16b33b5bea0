import { describe, expect, it } from "vitest";
import { permissions, roleCan } from "./permissions";
import { roles } from "./roles";

describe("roleCan", () => {
  it("gives owners and admins every permission", () => {
    for (const p of permissions) {
      expect(roleCan("owner", p)).toBe(true);
      expect(roleCan("admin", p)).toBe(true);
    }
  });

  it("lets viewers read but change nothing", () => {
    const mutations = permissions.filter((p) => p.endsWith(":manage") || p.endsWith(":update") || p === "playground:use");
    expect(mutations.length).toBeGreaterThan(3);
    for (const p of mutations) expect(roleCan("viewer", p), p).toBe(false);
    expect(roleCan("viewer", "usage:read")).toBe(true);
  });

  it("lets developers build but not manage people or the workspace", () => {
    expect(roleCan("developer", "keys:manage")).toBe(true);
    expect(roleCan("developer", "playground:use")).toBe(true);
    expect(roleCan("developer", "members:manage")).toBe(false);
    expect(roleCan("developer", "workspace:update")).toBe(false);
  });

  it("orders roles from most to least powerful", () => {
    const counts = roles.map((r) => permissions.filter((p) => roleCan(r, p)).length);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  });
});
