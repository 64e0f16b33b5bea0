#!/usr/bin/env node
// The `bora` command (also `npm run cli --`): the admin CLI, in TypeScript through tsx.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
