# One image per service: `docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=profile .`
# The service is bundled by esbuild into one file, so the runtime image holds node and that file only.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json nx.json tsconfig.base.json ./
COPY apps apps
COPY libs libs
COPY ml ml
COPY tools tools
RUN npm ci --no-audit --no-fund --ignore-scripts
ARG SERVICE
RUN npx nx run ${SERVICE}:build \
 && npx esbuild tools/provision/provision.ts --bundle --platform=node --target=node20 --outfile=dist/apps/${SERVICE}/provision.js --external:pg-native

FROM gcr.io/distroless/nodejs20-debian12:nonroot
ARG SERVICE
WORKDIR /app
COPY --from=build /src/dist/apps/${SERVICE}/ ./
# The kit checks the service's subscriptions against these at start-up; provision.js applies them.
COPY deploy/nats ./deploy/nats
ENV NODE_ENV=production
USER nonroot
# Nothing is written at run time: the root filesystem can be mounted read-only (/tmp aside).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["/nodejs/bin/node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `main.js` serves; the same image runs `db/migrate.js` as a separate step (a Kubernetes Job or a
# compose one-shot) and `provision.js` for the NATS streams.
CMD ["main.js"]
