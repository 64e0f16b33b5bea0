import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships wasm and data files that must be loaded from node_modules, the same way
  // in the app, the custom server, the CLI and the tests.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "node-llama-cpp", "prom-client"],
  // API traffic is served by our own listener; gzip on SSE would buffer streams.
  compress: false,
  poweredByHeader: false,
  // The data dir lives inside the project by default: never trace it into the build.
  outputFileTracingExcludes: { "*": ["data/**"] },
  // `npm run typecheck` (part of `npm test`) checks the whole tree, tests included; the build
  // that `npm start` runs need not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
