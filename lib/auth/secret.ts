// The instance secret: signs sessions and encrypts provider secrets. BORA_SECRET, or one
// generated at first start and kept in the data dir. The server installs the one it resolved
// at start, so every bundle of the process (Next's and the server's) uses the same.
import { getConfig } from "@/lib/config";
import { loadOrCreateSecret } from "@/lib/server/data-dir";

const key = Symbol.for("bora.secret");
const holder = globalThis as { [key]?: string };

export function setSecret(secret: string): void {
  holder[key] = secret;
}

export function getSecret(): string {
  if (!holder[key]) {
    const config = getConfig();
    holder[key] = loadOrCreateSecret(config.dataDir, config.BORA_SECRET);
  }
  return holder[key];
}
