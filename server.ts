// Entry point of `npm start` and `bora serve [--gateway|--worker|--console]`: one Bora process,
// all-in-one by default (console, /v1, management API, workers), or one part of it.
import { parseArgs } from "node:util";
import { startBora } from "@/lib/server/start";
import { modeFromFlags } from "@/lib/server/modes";
import { getConfig } from "@/lib/config";
import { log } from "@/lib/log";

const usage = "Usage: bora serve [--gateway | --worker | --console]   (none: all-in-one, as npm start)";

async function main() {
  const { values } = parseArgs({ args: process.argv.slice(2), strict: true, options: { help: { type: "boolean", short: "h" }, gateway: { type: "boolean" }, worker: { type: "boolean" }, console: { type: "boolean" } } });
  if (values.help) {
    process.stdout.write(usage + "\n");
    return;
  }
  const mode = modeFromFlags(values);
  const bora = await startBora({
    mode,
    withNext: true,
    dev: process.env.BORA_DEV === "1",
    onFirstAdmin(email, password, generated) {
      // Printed once, on the first start only; it is not stored anywhere in clear.
      const lines = [
        "",
        "  Bora created the first administrator:",
        `    email:    ${email}`,
        generated ? `    password: ${password}` : "    password: (from BORA_ADMIN_PASSWORD)",
        generated ? "  Keep this password now: it will not be shown again." : "",
        "",
      ];
      process.stdout.write(lines.join("\n") + "\n");
    },
  });
  log.info("bora listening", { url: bora.url, mode, database: bora.db.driver });
  if (mode === "gateway" && !getConfig().REDIS_URL) log.warn("no REDIS_URL: limits are counted per gateway process, and a revoked key reaches this one only when its cache expires (2 s)");
  // A parent that forked this process (tests of several replicas) learns where it listens.
  process.send?.({ url: bora.url });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    bora.close().then(
      () => process.exit(0),
      (err) => {
        log.error("shutdown failed", { err });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: Error) => {
  process.stderr.write(`bora: ${err.message}\n`);
  process.exit(1);
});
