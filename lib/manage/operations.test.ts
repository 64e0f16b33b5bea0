import { describe, expect, it } from "vitest";
import { matchOperation, operationPath, operations, type OperationName } from "./operations";

describe("management operations", () => {
  it("round-trips every operation's path through the matcher", () => {
    for (const name of Object.keys(operations) as OperationName[]) {
      const names = [...operations[name].path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const params = Object.fromEntries(names.map((n) => [n, `${n}-value`]));
      expect(matchOperation(operations[name].method, operationPath(name, params))).toEqual({ name, params });
    }
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
