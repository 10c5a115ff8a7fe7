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
CMD ["node", "bin/tributary.js", "run", "--config", "/config", "--rest-host", "0.0.0.0", "--kafka-host", "0.0.0.0"]
