import { describe, expect, it } from "vitest";
import { issuePrefixedToken, parsePrefixedToken, sameHash, sha256 } from "./tokens";

describe("prefixed tokens", () => {
  it("issues a token whose prefix parses back and whose hash matches", () => {
    const issued = issuePrefixedToken("bora_admin");
    expect(issued.token.startsWith(`bora_admin_${issued.prefix}_`)).toBe(true);
    expect(parsePrefixedToken("bora_admin", issued.token)).toBe(issued.prefix);
    expect(sameHash(issued.hashedSecret, sha256(issued.token))).toBe(true);
    // The secret part (base64url, which may itself hold "_") never appears in what is stored.
    const secret = issued.token.slice(`bora_admin_${issued.prefix}_`.length);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(issued.hashedSecret).not.toContain(secret);
  });

  it("never issues the same token twice", () => {
    const seen = new Set(Array.from({ length: 200 }, () => issuePrefixedToken("k").token));
    expect(seen.size).toBe(200);
  });

  it("rejects tokens of another kind or malformed ones", () => {
    const issued = issuePrefixedToken("bora_admin");
    expect(parsePrefixedToken("bora_key", issued.token)).toBeUndefined();
    expect(parsePrefixedToken("bora_admin", "bora_admin_zz_short")).toBeUndefined();
    expect(parsePrefixedToken("bora_admin", "")).toBeUndefined();
  });

  it("compares hashes of different lengths as different", () => {
    expect(sameHash("abcd", "abcdef")).toBe(false);
  });
});
