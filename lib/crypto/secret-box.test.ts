import { describe, expect, it } from "vitest";
import { open, seal } from "./secret-box";

const secret = "a".repeat(43);

describe("secret box", () => {
  it("round-trips and never stores the plaintext", () => {
    const sealed = seal("sk-upstream-123", secret);
    expect(sealed).not.toContain("sk-upstream");
    expect(open(sealed, secret)).toBe("sk-upstream-123");
    expect(seal("sk-upstream-123", secret)).not.toBe(sealed); // fresh IV each time
  });

  it("refuses a wrong secret or tampered data", () => {
    const sealed = seal("x", secret);
    expect(() => open(sealed, "b".repeat(43))).toThrow();
    const parts = sealed.split(".");
    parts[3] = Buffer.from("y").toString("base64url");
    expect(() => open(parts.join("."), secret)).toThrow();
  });
});
