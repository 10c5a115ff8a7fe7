# Build: compile the TypeScript sources to dist/, and the dashboard (ui/) to dist/ui.
# --ignore-scripts: `prepare` would build the dashboard before its sources are copied; `npm run build` does.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY core ./core
COPY connectors ./connectors
COPY ui ./ui
RUN npm run build

# Run: production dependencies and the compiled code only.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    TRIBUTARY_DATA_DIR=/data \
    TRIBUTARY_OUT_DIR=/data/out
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config /config
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 8083 9092
USER node
# The container listens on every interface, so the worker starts only with authentication on both
# ports (docs/security.md):
#   -e TRIBUTARY_REST_AUTH_TOKEN=<a long random string>      REST API and dashboard (Bearer token)
#   -e TRIBUTARY_KAFKA_USERS_FILE=/config/kafka-users.json   the Kafka port's SASL users, made by
#                                                            `tributary users add NAME --file ...` (or
#                                                            TRIBUTARY_KAFKA_SASL_PLAIN_USERS=<user:password,...>),
#                                                            or TRIBUTARY_KAFKA_PORT=0 to turn it off
#   -e TRIBUTARY_TLS_CERT=... -e TRIBUTARY_TLS_KEY=...       PEM files mounted in: TLS on both ports
#   -e TRIBUTARY_REST_ALLOWED_HOSTS=<name,...>               names clients use for the REST API besides
#                                                            localhost and the container's addresses
#                                                            (a compose service name, a proxy's name)
# Without them it refuses to start and says so. On a trusted network only, -e TRIBUTARY_INSECURE_NO_AUTH=true
# starts it open (with a warning at every start).
CMD ["node", "bin/tributary.cjs", "run", "--config", "/config", "--rest-host", "0.0.0.0", "--kafka-host", "0.0.0.0"]
