import { describe, expect, it } from "vitest";
import { ResponseBody } from "./response-body";

function body() {
  const aborted: Error[] = [];
  return { b: new ResponseBody((reason) => aborted.push(reason)), aborted };
}

describe("ResponseBody", () => {
  it("gives a reader the chunks that came before it, then the rest, and ends", async () => {
    const { b } = body();
    b.push(Buffer.from("ab"));
    const text = b.text();
    b.push(Buffer.from("cé"));
    b.end();
    expect(await text).toBe("abcé");
    expect(b.ended).toBe(true);
  });

  it("stops reading when the reader says so, drops the rest, and still sees the end", async () => {
    const { b, aborted } = body();
    const seen: string[] = [];
    const read = b.read((chunk) => (seen.push(chunk.toString()), chunk.toString() === "stop"));
    b.push(Buffer.from("one"));
    b.push(Buffer.from("stop"));
    b.push(Buffer.from("after"));
    await read;
    expect(seen).toEqual(["one", "stop"]);
    expect(b.ended).toBe(false);
    b.end();
    expect(b.ended).toBe(true);
    expect(aborted).toEqual([]);
  });

  it("stays ended when a late reader stops in what had already come", async () => {
    const { b, aborted } = body();
    b.push(Buffer.from("[DONE]"));
    b.push(Buffer.from("tail"));
    b.end();
    const seen: string[] = [];
    await b.read((chunk) => (seen.push(chunk.toString()), true));
    expect(seen).toEqual(["[DONE]"]);
    expect(b.ended).toBe(true);
    b.cancel(new Error("too late"));
    expect(aborted).toEqual([]);
  });

  it("rejects a late reader that throws on what had already come", async () => {
    const { b } = body();
    b.push(Buffer.from("x"));
    b.end();
    await expect(
      b.read(() => {
        throw new Error("bad early chunk");
      }),
    ).rejects.toThrow("bad early chunk");
  });

  it("rejects its reader when the upstream fails, and once stopped only remembers the failure", async () => {
    const { b } = body();
    const read = b.read(() => false);
    b.fail(new Error("socket closed"));
    await expect(read).rejects.toThrow("socket closed");

    const other = body().b;
    const stopped = other.read(() => true);
    other.push(Buffer.from("x"));
    await stopped;
    other.fail(new Error("late"));
    expect(other.ended).toBe(false);
  });

  it("stops the request when the reader throws", async () => {
    const { b, aborted } = body();
    const read = b.read(() => {
      throw new Error("bad chunk");
    });
    b.push(Buffer.from("x"));
    await expect(read).rejects.toThrow("bad chunk");
    expect(aborted.map((e) => e.message)).toEqual(["bad chunk"]);
  });

  it("is read once, and a cancel before the end stops the request", async () => {
    const { b, aborted } = body();
    void b.read(() => false).catch(() => {});
    await expect(b.read(() => false)).rejects.toThrow("read once");
    b.cancel(new Error("client gone"));
    expect(aborted.map((e) => e.message)).toEqual(["client gone"]);
  });
});
