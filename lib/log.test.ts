import { DrizzleQueryError } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "./log";

afterEach(() => vi.restoreAllMocks());

function logged(run: () => void): Record<string, unknown> {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  run();
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe("log", () => {
  it("writes an error's message and stack", () => {
    const line = logged(() => log.error("it failed", { err: new Error("disk full") }));
    expect(line).toMatchObject({ level: "error", msg: "it failed", err: { message: "disk full" } });
    expect((line.err as { stack: string }).stack).toMatch(/disk full\n\s+at /);
  });

  it("gives a failed query's reason and the start of its statement, never its parameters", () => {
    const statement = `insert into usage_events (request_id) select * from unnest($1::text[])${" ".repeat(500)}-- end`;
    const err = new DrizzleQueryError(statement, ["sk-secret-of-someone"], new Error('relation "usage_events" does not exist'));
    const line = logged(() => log.error("writing usage events failed", { err }));
    const text = JSON.stringify(line);
    expect(line.err).toMatchObject({ message: 'relation "usage_events" does not exist', query: statement.slice(0, 200) });
    expect(text).not.toContain("sk-secret-of-someone");
    expect(text).not.toContain("-- end");
    expect((line.err as { stack: string }).stack).toMatch(/^\n\s+at /);
  });
});
