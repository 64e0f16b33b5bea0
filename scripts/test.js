#!/usr/bin/env node
// `npm test`: lint, typecheck, unit, integration (on PGlite, or Postgres when DATABASE_URL is
// set) and Playwright e2e, in that order. Every step runs even when one fails, and the run ends
// with one line, "N passed, N failed", counting the tests of every suite.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const out = path.resolve("test-results");
fs.mkdirSync(out, { recursive: true });
const bin = (name) => path.resolve("node_modules/.bin", name);

const steps = [
  { name: "lint", cmd: [bin("eslint"), "--max-warnings", "0", "."] },
  { name: "typecheck", cmd: [bin("tsc"), "--noEmit"] },
  { name: "unit", cmd: [bin("vitest"), "run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${out}/unit.json`], report: `${out}/unit.json`, kind: "vitest" },
  { name: "integration", cmd: [bin("vitest"), "run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${out}/integration.json`], report: `${out}/integration.json`, kind: "vitest" },
  { name: "e2e", cmd: [bin("playwright"), "test", "--reporter=list,json"], env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/e2e.json` }, report: `${out}/e2e.json`, kind: "playwright" },
];

function counts(step) {
  if (!step.report || !fs.existsSync(step.report)) return { passed: 0, failed: 0 };
  const r = JSON.parse(fs.readFileSync(step.report, "utf8"));
  if (step.kind === "vitest") return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numTotalTests === 0 ? 1 : 0) };
  return { passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky };
}

// BORA_TEST_STEPS=integration,e2e runs only those steps: .ci/run's second pass, on Postgres,
// skips what does not touch the database (lint, typecheck, unit), already run in the first.
const only = process.env.BORA_TEST_STEPS?.split(",").map((s) => s.trim());
const unknownStep = only?.find((name) => !steps.some((s) => s.name === name));
if (unknownStep) {
  console.error(`BORA_TEST_STEPS: no step "${unknownStep}" (steps: ${steps.map((s) => s.name).join(", ")})`);
  process.exit(2);
}

const db = process.env.DATABASE_URL ? `Postgres (${process.env.DATABASE_URL.replace(/:[^:@/]+@/, ":***@")})` : "PGlite";
console.log(`\n== npm test on ${db}${process.env.REDIS_URL ? " with Redis" : ""}\n`);
let passed = 0;
let failed = 0;
const failedSteps = [];
for (const step of only ? steps.filter((s) => only.includes(s.name)) : steps) {
  if (step.report) fs.rmSync(step.report, { force: true });
  console.log(`\n── ${step.name} ──`);
  const started = Date.now();
  const result = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: "inherit", env: { ...process.env, ...step.env } });
  const c = counts(step);
  passed += c.passed;
  failed += c.failed;
  if (result.status !== 0) {
    failedSteps.push(step.name);
    if (!step.report) failed += 1; // lint and typecheck count as one check each
  } else if (!step.report) passed += 1;
  console.log(`── ${step.name}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
fs.writeFileSync(path.join(out, "summary.json"), JSON.stringify({ passed, failed }));
if (failedSteps.length) console.log(`\nFailed: ${failedSteps.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length ? 1 : 0);
