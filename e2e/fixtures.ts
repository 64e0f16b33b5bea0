// Shared fixtures: the server's URL as baseURL, a guard that fails a test on any browser
// console error, and the CLI pointed at the e2e server's data dir.
import { execFile } from "node:child_process";
import path from "node:path";
import { test as base, expect } from "@playwright/test";

export { expect };

export const test = base.extend<{ consoleErrors: { allow: (pattern: RegExp) => void } }>({
  baseURL: async ({}, use) => use(process.env.BORA_E2E_URL),
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      // A test that expects a refused request (a wrong password's 401) allows exactly that.
      const allowed: RegExp[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      // Name the resource behind a "Failed to load resource" console error, so a failure says which.
      page.on("response", (r) => {
        if (r.status() >= 400) errors.push(`(${r.status()} ${r.request().method()} ${new URL(r.url()).pathname})`);
      });
      await use({ allow: (pattern) => allowed.push(pattern) });
      const unexpected = errors.filter((e) => !allowed.some((p) => p.test(e)));
      // Responses are listed only to explain a console error; alone they are not failures.
      const failures = unexpected.some((e) => !e.startsWith("(")) ? unexpected : [];
      expect(failures, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
});

/** Runs `bora` against the e2e server, as an admin on the same machine would. */
export function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, BORA_DATA_DIR: process.env.BORA_E2E_DATA_DIR! };
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith("BORA_E2E_ENV_") && v) env[k.slice("BORA_E2E_ENV_".length)] = v;
  return new Promise((resolve) =>
    execFile(process.execPath, [path.resolve("bin/bora.js"), ...args], { env }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr })),
  );
}
