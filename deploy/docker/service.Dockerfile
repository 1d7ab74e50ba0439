# One image per service: `docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=profile .`
# The service is bundled by esbuild into one file, so the runtime image holds node and that file only.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY apps apps
COPY libs libs
COPY ml ml
RUN npm ci --no-audit --no-fund --ignore-scripts
ARG SERVICE
RUN npx nx run ${SERVICE}:build

FROM gcr.io/distroless/nodejs20-debian12:nonroot
ARG SERVICE
WORKDIR /app
COPY --from=build /src/dist/apps/${SERVICE}/ ./
# The kit checks the service's subscriptions against these at start-up.
COPY deploy/nats ./deploy/nats
ENV NODE_ENV=production
USER nonroot
# `main.js` serves; the same image runs `migrate.js` as a separate step (a Kubernetes Job or compose run).
CMD ["main.js"]
