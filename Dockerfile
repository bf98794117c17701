# syntax=docker/dockerfile:1
# The app as a container: built with dev dependencies, shipped with a production install only.
# Not exercised by the test suite (no container engine on the CI machines); see docs/operations.md.
ARG NODE_VERSION=24

# 1. Compile TypeScript to dist/ (dev dependencies; install scripts are not needed to compile).
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only (sqlite3 builds from source if no prebuilt binary downloads).
FROM node:${NODE_VERSION}-bookworm-slim AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` runs scripts/ensure-build.mjs: with dist/ present and no TypeScript it builds nothing.
COPY scripts/ensure-build.mjs scripts/
COPY --from=build /app/dist dist
RUN npm ci --omit=dev --no-audit --no-fund

# 3. The runtime: no compiler, no build tools, not root.
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
  PORT=3000 \
  HOST=0.0.0.0 \
  STORE_URL=sqlite:///app/data/apollo-dashboard.sqlite
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY bin bin
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) is handled by the app: it stops within 4 s, under docker's 10 s grace period.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
