// Entry point of `npm start`: the all-in-one Bora process (console, /v1, management API).
import { startBora } from "@/lib/server/start";
import { log } from "@/lib/log";

async function main() {
  const bora = await startBora({
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
  log.info("bora listening", { url: bora.url, database: bora.db.driver });
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
