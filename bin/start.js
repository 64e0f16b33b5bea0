#!/usr/bin/env node
// `npm start` and `bora serve`: builds the console when the build is missing or older than the
// sources, then runs the server: all-in-one, or one process mode (--gateway and --worker have
// no console, so no build). TypeScript is loaded through tsx, so no separate compile step.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
process.env.NODE_ENV = "production";

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function buildIsStale() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  const sources = ["app", "components", "lib", "db", "public", "next.config.ts", "package-lock.json", "postcss.config.mjs"];
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

const args = process.argv.slice(2);
const modeFlags = ["--gateway", "--worker", "--console"];
const unknown = args.find((a) => !modeFlags.includes(a) && a !== "--help" && a !== "-h");
if (unknown) {
  process.stderr.write(`bora: unknown option ${unknown}\nUsage: bora serve [--gateway | --worker | --console]   (none: all-in-one, as npm start)\n`);
  process.exit(2);
}
// Nothing to build for a process without the console, or to print the usage.
const withoutConsole = args.some((a) => a === "--gateway" || a === "--worker" || a === "--help" || a === "-h");
if (process.env.BORA_SKIP_BUILD !== "1" && !withoutConsole && buildIsStale()) {
  process.stdout.write("Building the console (first start or changed sources)…\n");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    process.stderr.write("bora: the console build failed (see above).\n");
    process.exit(result.status ?? 1);
  }
}

const { register } = await import("tsx/esm/api");
register();
await import("../server.ts");
