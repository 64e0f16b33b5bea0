// How a batch worker calls the gateway for a line: an `x-bora-batch` header naming the batch,
// signed with BORA_SECRET. It never leaves Bora's processes, and any replica sharing the secret
// can check it, so the worker goes through the same /v1 path as a client would.
import crypto from "node:crypto";

export const batchHeader = "x-bora-batch";

function mac(secret: string, batchId: string): string {
  const key = Buffer.from(crypto.hkdfSync("sha256", secret, "bora", "batch-worker v1", 32));
  return crypto.createHmac("sha256", key).update(batchId).digest("base64url");
}

export function batchCredential(secret: string, batchId: string): string {
  return `${batchId}.${mac(secret, batchId)}`;
}

/** The batch id a header names, when its signature is ours. */
export function verifyBatchCredential(secret: string, value: string): string | undefined {
  const dot = value.indexOf(".");
  if (dot < 0) return undefined;
  const batchId = value.slice(0, dot);
  const want = Buffer.from(mac(secret, batchId));
  const got = Buffer.from(value.slice(dot + 1));
  return want.length === got.length && crypto.timingSafeEqual(want, got) ? batchId : undefined;
}
