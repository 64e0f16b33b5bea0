# Bora in one image: all-in-one by default (the console, /v1, the management API and the
# workers on one port), or one process mode with `node bin/bora.js serve --gateway|--worker|
# --console` (see "Run in production" in README.md). Build: docker build -t bora .   Run: see
# compose.yaml.

# Dependencies, dev ones included: the console build needs them. The overrides in package.json
# point unused GPU builds of node-llama-cpp at lib/engine/no-gpu-build, so it is copied first.
FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY lib/engine/no-gpu-build lib/engine/no-gpu-build
RUN npm ci --no-audit --no-fund

# The console's production build (.next).
FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN node node_modules/next/dist/bin/next build

# Only what runs: dependencies without dev ones (tsx, which loads the TypeScript server, is a
# runtime dependency).
FROM node:22-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY lib/engine/no-gpu-build lib/engine/no-gpu-build
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-slim AS runtime
WORKDIR /app
# BORA_SKIP_BUILD: the build is part of the image; never rebuild at start.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    BORA_DATA_DIR=/data \
    BORA_SKIP_BUILD=1
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json next.config.ts postcss.config.mjs server.ts ./
COPY bin ./bin
COPY app ./app
COPY components ./components
COPY db ./db
COPY drizzle ./drizzle
COPY lib ./lib
COPY public ./public
COPY --from=build /app/.next ./.next
# The `node` user (uid 1000) of the base image; it owns only what it writes: the data dir and
# Next's cache.
# /shared: files and GGUF models every process of a split deployment mounts (compose.yaml).
RUN mkdir -p /data /shared/files /shared/models && chown -R node:node /data /shared /app/.next
USER node
VOLUME ["/data"]
EXPOSE 3000
# slim images have no curl: ask /readyz with node itself (ready = database reachable, migrated).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/start.js"]
