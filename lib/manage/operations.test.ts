import { describe, expect, it } from "vitest";
import { matchOperation, operationPath, operations, type OperationName } from "./operations";

describe("management operations", () => {
  it("round-trips every operation's path through the matcher", () => {
    for (const name of Object.keys(operations) as OperationName[]) {
      const path = operationPath(name, { workspace: "team-a" });
      expect(matchOperation(operations[name].method, path)).toEqual({ name, params: path.includes("team-a") ? { workspace: "team-a" } : {} });
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
