import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

// Unit tests (*.test.ts) touch no database or network; integration tests (*.int.test.ts) run
// against a real database (PGlite, or Postgres when DATABASE_URL is set) and real HTTP.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["{lib,db,app,components}/**/*.test.ts"], exclude: ["**/*.int.test.ts", "node_modules/**"] } },
      {
        resolve: { alias },
        test: {
          name: "integration",
          env: { BORA_LOG_LEVEL: "warn" },
          // Tests of several replicas need a shared Postgres and Redis: only when both are given.
          include: ["{lib,db,app}/**/*.int.test.ts", ...(process.env.DATABASE_URL && process.env.REDIS_URL ? ["{lib,db,app}/**/*.redis.int.ts"] : [])],
          globalSetup: ["lib/testing/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores: more parallel PGlite instances only queue for CPU.
          maxWorkers: 2,
        },
      },
    ],
  },
});
