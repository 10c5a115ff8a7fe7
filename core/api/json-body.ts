/**
 * JSON request bodies of the REST API (every route but the webhooks, which read their own): a body
 * that is not declared JSON (`application/json` or `…+json`) is refused with 415 instead of being
 * ignored or guessed at, so an HTML form (urlencoded, multipart, text/plain) can never pass for a
 * request; writes without a body (`POST …/restart`) need no Content-Type. A JSON body nested deeper
 * than DEFAULT_MAX_JSON_DEPTH is refused with 400 before JSON.parse sees it, as Jackson refuses it
 * in Kafka Connect; bodies stay limited to 1 MB.
 */
import express, { type Request, type RequestHandler } from 'express'
import { TributaryError } from '../errors.ts'
import { assertJsonDepth, DEFAULT_MAX_JSON_DEPTH } from '../json-depth.ts'

export const JSON_TYPES = ['application/json', '+json']
const BODY_LIMIT = '1mb'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function jsonBody(maxDepth = DEFAULT_MAX_JSON_DEPTH): RequestHandler[] {
  return [
    (req, _res, next) => {
      if (SAFE_METHODS.has(req.method) || !hasBody(req) || req.is(JSON_TYPES)) {
        next()
        return
      }
      const type = req.get('content-type')
      next(
        new TributaryError(
          'TRB_UNSUPPORTED_MEDIA_TYPE',
          `${req.method} ${req.path} reads a JSON body, not ${type === undefined ? 'a body without a Content-Type' : JSON.stringify(type)}: send it with Content-Type: application/json`,
          {
            details: { contentType: type ?? null },
          },
        ),
      )
    },
    express.json({
      limit: BODY_LIMIT,
      type: JSON_TYPES,
      verify: (_req, _res, body) => assertJsonDepth(body, maxDepth, 'the request body'),
    }),
  ]
}

/** A body with at least one byte is coming (an empty one is no body). */
export function hasBody(req: Request): boolean {
  return req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0
}
