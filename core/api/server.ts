/**
 * The REST API (express), on Kafka Connect's paths and shapes. Routes live in routes/, one file per
 * resource; the error middleware turns every failure into `{ error_code, message }`.
 */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import express, { type Express } from 'express'
import type { Log } from '../log/log.ts'
import { createLogger } from '../logger.ts'
import { errorHandler, notFoundHandler } from './error-middleware.ts'
import { healthRoutes, type HealthState } from './routes/health.ts'
import { topicRoutes } from './routes/topics.ts'

export interface ApiOptions {
  readonly log: Log
  readonly health: HealthState
}

export interface RunningApi {
  readonly port: number
  readonly host: string
  close(): Promise<void>
}

export function createApi(options: ApiOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(express.json({ limit: '1mb' }))
  app.use(healthRoutes(options.health))
  app.use(topicRoutes(options.log))
  app.use(notFoundHandler())
  app.use(errorHandler(createLogger('api')))
  return app
}

export function startApi(app: Express, port: number, host: string): Promise<RunningApi> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host)
    server.once('error', reject)
    server.once('listening', () => {
      const address = server.address() as AddressInfo
      resolve({
        port: address.port,
        host,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}
