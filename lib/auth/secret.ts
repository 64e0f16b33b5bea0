// The instance secret: signs sessions and encrypts provider secrets. BORA_SECRET, or one
// generated at first start and kept in the data dir.
import { getConfig } from "@/lib/config";
import { loadOrCreateSecret } from "@/lib/server/data-dir";

let secret: string | undefined;

export function getSecret(): string {
  if (!secret) {
    const config = getConfig();
    secret = loadOrCreateSecret(config.dataDir, config.BORA_SECRET);
  }
  return secret;
}
