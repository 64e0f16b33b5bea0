#!/usr/bin/env node
// The `bora` command (also `npm run cli --`): the admin CLI, in TypeScript through tsx.
// `bora serve [--gateway|--worker|--console]` runs the server instead, exactly as `npm start`.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

// The project's tsconfig (its "@/" paths), wherever the command is run from.
const tsconfig = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "tsconfig.json");

if (process.argv[2] === "serve") {
  process.argv.splice(2, 1);
  await import("./start.js");
} else {
  register({ tsconfig });
  const { main } = await import("../lib/cli/main.ts");
  process.exitCode = await main(process.argv.slice(2));
}
