/**
 * The REST API (express), on Kafka Connect's paths and shapes. Routes live in routes/, one file per
 * resource; the error middleware turns every failure into `{ error_code, message }`. Before any
 * route: security headers, the Host check (DNS rebinding), the cross-origin write check (CSRF); then
 * the dashboard's files and the webhooks (which check tokens their own way), the bearer token, and
 * JSON bodies (415 for other types, 400 past the nesting limit).
 */
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import express, { type Router, type Express } from 'express'
import type { Log } from '../log/log.ts'
import { createLogger } from '../logger.ts'
import type { SchemaRegistry } from '../registry/registry.ts'
import type { ExtraPlugin } from '../runtime/processing-factory.ts'
import type { ServerTls } from '../tls-settings.ts'
import type { Herder } from '../runtime/herder.ts'
import { bearerAuth } from './auth.ts'
import { errorHandler, notFoundHandler } from './error-middleware.ts'
import { hostCheck } from './host-check.ts'
import { jsonBody } from './json-body.ts'
import { originCheck } from './origin-check.ts'
import { connectorConfigRoutes } from './routes/connector-config.ts'
import { connectorOffsetRoutes } from './routes/connector-offsets.ts'
import { connectorStateRoutes } from './routes/connector-state.ts'
import { connectorTaskRoutes } from './routes/connector-tasks.ts'
import { connectorPluginRoutes } from './routes/connector-plugins.ts'
import { connectorRoutes } from './routes/connectors.ts'
import { builtDashboardDir, dashboardRoutes } from './routes/dashboard.ts'
import { groupRoutes } from './routes/groups.ts'
import { healthRoutes, type HealthState } from './routes/health.ts'
import { ingestRoutes } from './routes/ingest.ts'
import { metricsRoutes } from './routes/metrics.ts'
import { topicRoutes } from './routes/topics.ts'
import { securityHeaders } from './security-headers.ts'
import { workerNames, type WorkerNamesOptions } from './worker-names.ts'

export interface ApiOptions {
  readonly log: Log
  readonly health: HealthState
  /** Absent while only the log runs (no connector runtime). */
  readonly herder?: Herder
  readonly extraPlugins?: readonly ExtraPlugin[]
  /** `rest.auth.token`: when set, every request but /health and the dashboard's files needs `Authorization: Bearer <token>`. */
  readonly authToken?: string | undefined
  /** The dashboard's built files served at /ui; default dist/ui in the package. */
  readonly dashboardDir?: string
  /** Extra routes (pipeline reload) from the process that owns the herder. */
  readonly extraRoutes?: Router
  /** The worker's own names, which requests' `Host` must be (DNS rebinding guard); default: loopback names only. */
  readonly names?: WorkerNamesOptions
  /** The worker's built-in Schema Registry, which `GET /topics/{name}/records?decode=registry` reads schemas from. */
  readonly registry?: () => Promise<SchemaRegistry>
}

export interface RunningApi {
  readonly port: number
  readonly host: string
  /** `https` when it serves TLS. */
  readonly scheme: 'http' | 'https'
  close(): Promise<void>
}

export function createApi(options: ApiOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  const isWorkerName = workerNames(options.names)
  app.use(securityHeaders(), hostCheck(isWorkerName), originCheck(isWorkerName))
  app.use(dashboardRoutes(options.dashboardDir ?? builtDashboardDir()))
  if (options.herder) app.use(ingestRoutes(options.herder, options.authToken))
  app.use(bearerAuth(options.authToken))
  app.use(jsonBody())
  app.use(healthRoutes(options.health))
  app.use(topicRoutes(options.log, options.registry))
  app.use(groupRoutes(options.log))
  if (options.herder) {
    app.use(connectorRoutes(options.herder))
    app.use(connectorConfigRoutes(options.herder))
    app.use(connectorStateRoutes(options.herder))
    app.use(connectorTaskRoutes(options.herder))
    app.use(connectorOffsetRoutes(options.herder))
    app.use(connectorPluginRoutes(options.herder, options.extraPlugins ?? [], options.health.version))
    app.use(metricsRoutes(options.herder.worker.metrics))
  }
  if (options.extraRoutes) app.use(options.extraRoutes)
  app.use(notFoundHandler())
  app.use(errorHandler(createLogger('api')))
  return app
}

/** Serves the app on host:port, over TLS when `tls` is given (the worker's --tls-cert and --tls-key). */
export function startApi(app: Express, port: number, host: string, tls?: ServerTls): Promise<RunningApi> {
  return new Promise((resolve, reject) => {
    const server = tls === undefined ? http.createServer(app) : https.createServer(tls, app)
    server.once('error', reject)
    server.listen(port, host)
    server.once('listening', () => {
      const address = server.address() as AddressInfo
      resolve({
        port: address.port,
        host,
        scheme: tls === undefined ? 'http' : 'https',
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}
