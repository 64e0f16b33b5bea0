// Secrets shown once and stored as hashes: admin tokens, invitation links, and (later) API keys.
// A token is "<kind>_<prefix>_<secret>"; the prefix finds the row, the SHA-256 of the whole
// token checks it. SHA-256 (not argon2) because tokens are long random strings, not passwords,
// and the lookup sits on request paths.
import crypto from "node:crypto";

export function sha256(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}

export function randomToken(bytes = 24): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

export type IssuedToken = { token: string; prefix: string; hashedSecret: string };

export function issuePrefixedToken(kind: string): IssuedToken {
  const prefix = crypto.randomBytes(6).toString("hex");
  const token = `${kind}_${prefix}_${randomToken()}`;
  return { token, prefix, hashedSecret: sha256(token) };
}

const shapes = new Map<string, RegExp>();

export function parsePrefixedToken(kind: string, token: string): string | undefined {
  let shape = shapes.get(kind);
  if (!shape) shapes.set(kind, (shape = new RegExp(`^${kind}_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$`)));
  const match = shape.exec(token);
  return match?.[1];
}

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
  const ab = Buffer.from(a, "hex");
  const bb = Buffer.from(b, "hex");
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
