/**
 * The Schema Registry's own HTTP server, on its own port as Confluent's and Redpanda's are (8081 by
 * default), with the REST API's guards: security headers, the Host check (DNS rebinding), the
 * cross-origin write check, the REST token (as Bearer or Basic), JSON bodies of at most 2 MB nested at
 * most 1,000 deep. Bodies are read as JSON under each content type Confluent's clients send
 * (`application/vnd.schemaregistry.v1+json`, `…+json`, `application/json`, `application/octet-stream`).
 * Under `/apis/registry/v2`, the few reads of Apicurio's API that its deserializers make (apicurio-routes.ts).
 */
import express, { type ErrorRequestHandler, type Express } from 'express'
import { originCheck } from '../../api/origin-check.ts'
import { hostCheck } from '../../api/host-check.ts'
import { securityHeaders } from '../../api/security-headers.ts'
import { workerNames, type WorkerNamesOptions } from '../../api/worker-names.ts'
import { isTributaryError } from '../../errors.ts'
import { assertJsonDepth, DEFAULT_MAX_JSON_DEPTH } from '../../json-depth.ts'
import type { Logger } from '../../logger.ts'
import type { SchemaRegistry } from '../registry.ts'
import { isRegistryError } from '../registry-errors.ts'
import { apicurioRoutes } from './apicurio-routes.ts'
import { registryAuth } from './registry-auth.ts'
import { REGISTRY_CONTENT_TYPE, registryRoutes } from './registry-routes.ts'

export interface RegistryAppOptions {
  readonly registry: SchemaRegistry
  readonly authToken?: string | undefined
  readonly names?: WorkerNamesOptions
  readonly logger: Logger
}

const BODY_TYPES = ['application/json', '+json', 'application/octet-stream']

export function createRegistryApp(options: RegistryAppOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  const isWorkerName = workerNames(options.names)
  app.use(securityHeaders(), hostCheck(isWorkerName), originCheck(isWorkerName))
  app.use(registryAuth(options.authToken))
  app.use(
    express.json({
      limit: '2mb',
      type: BODY_TYPES,
      strict: false,
      verify: (_req, _res, body) => assertJsonDepth(body, DEFAULT_MAX_JSON_DEPTH, 'the request body'),
    }),
  )
  app.use('/apis/registry/v2', apicurioRoutes(options.registry))
  app.use(registryRoutes(options.registry))
  app.use((req, res) => {
    res
      .status(404)
      .type(REGISTRY_CONTENT_TYPE)
      .send(JSON.stringify({ error_code: 404, message: `HTTP 404 Not Found: no route for ${req.method} ${req.path}` }))
  })
  app.use(registryErrors(options.logger))
  return app
}

function registryErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const answer = (status: number, errorCode: number, message: string) =>
      res
        .status(status)
        .type(REGISTRY_CONTENT_TYPE)
        .send(JSON.stringify({ error_code: errorCode, message }))
    if (isRegistryError(error)) return answer(error.httpStatus, error.errorCode, error.message)
    if (isTributaryError(error)) return answer(error.httpStatus, error.httpStatus, error.message)
    // body-parser marks its own failures (malformed JSON, too large) with a 4xx status.
    const status = (error as { status?: unknown })?.status
    if (typeof status === 'number' && status >= 400 && status < 500) return answer(status, status, (error as Error).message)
    logger.error({ err: error }, 'unhandled error in a schema registry request')
    return answer(500, 50001, "Error in the backend data store: see the worker's log")
  }
}
