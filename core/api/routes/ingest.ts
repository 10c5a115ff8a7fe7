/**
 * `POST /ingest/{connector}`: the webhook entry point of HTTP sources on the REST port. The body is
 * read raw (up to the connector's own limit) and handed to one of the connector's tasks, which
 * answers only once the records are durable in the log. Mounted before the REST token check and the
 * JSON body parser: a webhook's own token (IngressOptions.token) is enough for its own route, the
 * REST API's token works there too, and a webhook without a token of its own needs the REST token
 * when one is set. A request that comes while the connector's task is starting on this worker waits
 * for it up to 10 s (STARTING_TASK_WAIT_MS); after that, or when no task runs here or elsewhere in
 * the group, it is answered 503 with Retry-After.
 */
import express, { Router, type Request, type Response } from 'express'
import { TributaryError } from '../../errors.ts'
import type { IngressOptions } from '../../runtime/plugin.ts'
import type { Herder } from '../../runtime/herder.ts'
import { bearerTokenMatcher, refuseUnauthorized, type TokenMatcher } from '../auth.ts'
import { forwardRequest, mayForward, relayAnswer } from '../forward-request.ts'

/** How long a webhook request waits for a task of its connector that is starting on this herder. */
const STARTING_TASK_WAIT_MS = 10_000

export function ingestRoutes(herder: Herder, restToken: string | undefined): Router {
  const router = Router()
  const restTokenMatches = restToken === undefined ? undefined : bearerTokenMatcher(restToken)
  // One matcher per registration: a task registers once per start, with its token.
  const webhookTokens = new WeakMap<IngressOptions, TokenMatcher>()
  const webhookTokenMatches = (options: IngressOptions, token: string): TokenMatcher => {
    const matches = webhookTokens.get(options) ?? bearerTokenMatcher(token)
    webhookTokens.set(options, matches)
    return matches
  }
  let forwardCount = 0
  router.post('/ingest/:connector', async (req, res, next) => {
    const connector = req.params.connector
    const authorization = req.get('authorization')
    let registration = herder.worker.ingress.next(connector)
    if (registration === undefined && herder.worker.startingTasks(connector)) {
      // Its task is starting here (an exactly-once one opens its producer first): wait for it a while.
      const gone = new AbortController()
      res.once('close', () => gone.abort())
      registration = await herder.worker.ingress.waitFor(connector, STARTING_TASK_WAIT_MS, gone.signal)
    }
    if (registration === undefined) {
      if (!herder.has(connector)) {
        // Whether a connector exists is for REST callers to know.
        if (restTokenMatches !== undefined && !restTokenMatches(authorization)) return refuseUnauthorized(res)
        throw new TributaryError('TRB_CONNECTOR_NOT_FOUND', `Connector ${connector} not found`)
      }
      // The worker that runs the task checks the token: only it knows the webhook's own.
      // In a group the webhook may have reached a worker that runs none of the connector's tasks.
      const runners = mayForward(req) ? herder.workersElsewhere(connector, { connector: false, tasks: true, state: 'RUNNING' }) : []
      if (runners.length > 0) {
        const body = await readRawBody(req, res)
        relayAnswer(res, await forwardRequest(req, runners[forwardCount++ % runners.length] ?? '', body))
        return
      }
      res
        .status(503)
        .set('Retry-After', '1')
        .json({
          error_code: 503,
          message: `connector ${connector} is not taking requests (it is ${herder.status(connector).connector.state})`,
        })
      return
    }
    const ownToken = registration.options.token
    const isAuthorized =
      (ownToken !== undefined && webhookTokenMatches(registration.options, ownToken)(authorization)) ||
      (restTokenMatches === undefined ? ownToken === undefined : restTokenMatches(authorization))
    if (!isAuthorized) return refuseUnauthorized(res)
    express.raw({ type: () => true, limit: registration.options.maxBodyBytes })(req, res, (error?: unknown) => {
      if (error !== undefined) {
        next(error)
        return
      }
      const aborted = new AbortController()
      res.once('close', () => {
        if (!res.writableFinished) aborted.abort(new Error('client went away'))
      })
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : value]),
      )
      const query = Object.fromEntries(
        Object.entries(req.query).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]),
      )
      registration.handler({ body, headers, query }, aborted.signal).then((reply) => {
        if (reply.body === undefined) res.status(reply.status).end()
        else res.status(reply.status).json(reply.body)
      }, next)
    })
  })
  return router
}

/** Larger than any webhook limit a connector is likely to set; the worker that runs the task applies its own. */
const FORWARDED_BODY_LIMIT = '16mb'

/** The body as it came, for a forwarded webhook. */
function readRawBody(req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    express.raw({ type: () => true, limit: FORWARDED_BODY_LIMIT })(req, res, (error?: unknown) => {
      if (error !== undefined) reject(error)
      else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))
    })
  })
}
