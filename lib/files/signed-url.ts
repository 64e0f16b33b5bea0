// Expiring links to a file's content that work without an API key (to hand to a browser or a
// tool): an HMAC of the file id and expiry under a key derived from BORA_SECRET.
import crypto from "node:crypto";

function keyFrom(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", secret, "bora", "file-urls v1", 32));
}

function mac(secret: string, fileId: string, expires: number): string {
  return crypto.createHmac("sha256", keyFrom(secret)).update(`${fileId}.${expires}`).digest("base64url");
}

export function signFileUrl(baseUrl: string, secret: string, fileId: string, expiresAt: number): string {
  return `${baseUrl}/v1/files/${fileId}/content?expires=${expiresAt}&signature=${mac(secret, fileId, expiresAt)}`;
}

/** True when the signature is ours and the link has not expired (times in unix seconds). */
export function verifyFileUrl(secret: string, fileId: string, expires: string, signature: string, now = Date.now() / 1000): boolean {
  const at = Number(expires);
  if (!Number.isInteger(at) || at < now) return false;
  const want = Buffer.from(mac(secret, fileId, at));
  const got = Buffer.from(signature);
  return want.length === got.length && crypto.timingSafeEqual(want, got);
}
