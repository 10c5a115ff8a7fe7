/**
 * Every failure leaves the REST API as Kafka Connect's error body, `{ error_code, message }`, with
 * error_code equal to the HTTP status. Codes come from the error table; nothing else leaks, and a
 * message that quotes a connection string or credential shows it masked.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { isTributaryError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { maskText } from '../secrets.ts'

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error_code: 404, message: `no route for ${req.method} ${req.path}` })
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (isTributaryError(error)) {
      res.status(error.httpStatus).json({ error_code: error.httpStatus, message: maskText(error.message) })
      return
    }
    // body-parser marks its own failures (malformed JSON, too large) with a 4xx status.
    const status = (error as { status?: unknown })?.status
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error_code: status, message: maskText((error as Error).message) })
      return
    }
    logger.error({ err: error }, 'unhandled error in REST request')
    res.status(500).json({ error_code: 500, message: 'internal server error' })
  }
}
