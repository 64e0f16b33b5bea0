// Encryption at rest for provider secrets: AES-256-GCM with a key derived from BORA_SECRET by
// HKDF, so the database alone never reveals an upstream key. Format: "v1.<iv>.<tag>.<data>".
import crypto from "node:crypto";

function keyFrom(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", secret, "bora", "provider-secrets v1", 32));
}

export function seal(plaintext: string, secret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", keyFrom(secret), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function open(sealed: string, secret: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("Unrecognised sealed secret");
  const decipher = crypto.createDecipheriv("aes-256-gcm", keyFrom(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
