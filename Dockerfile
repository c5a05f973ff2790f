# syntax=docker/dockerfile:1
#
# Meridian image: one image for the API, the worker and the migration job.
#   docker build --build-arg GIT_COMMIT=$(git rev-parse HEAD) -t meridian .
#   api:     node dist/backend/main.js        (default CMD)
#   worker:  node dist/backend/worker.js
#   migrate: node dist/backend/database/migrate.js
# Secrets (DATABASE_URL, REDIS_URL, KAPA_API_KEY, ADMIN_PASSWORD, METRICS_TOKEN, SMTP_URL, WHATSAPP_*)
# are given at run time, never at build time.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---- deps: every dependency, for the build ----------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    NG_CLI_ANALYTICS=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

# ---- build: compile the API and the console ---------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NG_CLI_ANALYTICS=false \
    CI=true
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# nest build -> dist/backend, ng build -> dist/admin-ui/browser
RUN npm run build

# ---- prod-deps: runtime dependencies only ------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# ---- runtime -------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG GIT_COMMIT=""
LABEL org.opencontainers.image.title="meridian" \
      org.opencontainers.image.description="Meridian: enterprise lead management and marketing campaigns" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.revision="${GIT_COMMIT}"

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/meridian \
    GIT_COMMIT=${GIT_COMMIT}

WORKDIR /app
# Application files stay owned by root (read-only for the app); only DATA_DIR
# is writable by the runtime user.
RUN mkdir -p /var/lib/meridian && chown node:node /var/lib/meridian
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The help assistant indexes docs/ (local docs provider).
COPY docs ./docs

USER node
EXPOSE 3000

# Liveness only (process up). There is no curl in the slim image: use node.
# Worker and migration containers have no HTTP server: disable this there.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["node", "dist/backend/main.js"]
