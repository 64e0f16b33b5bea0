import { describe, expect, it } from "vitest";
import { matchOperation, operationPath, routes, type OperationName } from "./routes";
import { operations } from "./operations";

describe("management operations", () => {
  it("round-trips every operation's path through the matcher", () => {
    for (const name of Object.keys(routes) as OperationName[]) {
      const names = [...routes[name].path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const params = Object.fromEntries(names.map((n) => [n, `${n}-value`]));
      expect(matchOperation(routes[name].method, operationPath(name, params))).toEqual({ name, params });
    }
  });

  it("has an implementation for every route and a route for every implementation", () => {
    expect(Object.keys(operations).sort()).toEqual(Object.keys(routes).sort());
  });

  it("encodes and decodes parameters", () => {
    const path = operationPath("members.list", { workspace: "a/b" });
    expect(path).toBe("/workspaces/a%2Fb/members");
    expect(matchOperation("GET", path)?.params.workspace).toBe("a/b");
  });

  it("matches nothing for unknown paths or methods", () => {
    expect(matchOperation("DELETE", "/users")).toBeUndefined();
    expect(matchOperation("GET", "/workspaces/x/unknown")).toBeUndefined();
  });
});
