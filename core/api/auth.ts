/**
 * Optional bearer-token auth (`--rest-auth-token`): every request but the health probe, the
 * dashboard's files and the webhooks must carry `Authorization: Bearer <token>`. Webhooks
 * (`/ingest/<connector>`, mounted before this check) check it themselves (routes/ingest.ts), because
 * a webhook's own token is enough there. Tokens are compared as HMAC digests in constant time, so neither the content nor the
 * length of the token shows in the time an answer takes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { RequestHandler } from 'express'

/** Whether an `Authorization` header carries the token; undefined token: every header does. */
export type TokenMatcher = (authorization: string | undefined) => boolean

const digestKey = randomBytes(32)

function digest(text: string): Buffer {
  return createHmac('sha256', digestKey).update(text).digest()
}

export function bearerTokenMatcher(token: string): TokenMatcher {
  const expected = digest(token)
  return (authorization) => {
    const given = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1] ?? ''
    return timingSafeEqual(digest(given), expected)
  }
}

export function bearerAuth(token: string | undefined): RequestHandler {
  const matches = token === undefined ? undefined : bearerTokenMatcher(token)
  return (req, res, next) => {
    if (matches === undefined || req.path === '/health' || matches(req.get('authorization'))) {
      next()
      return
    }
    refuseUnauthorized(res)
  }
}

export function refuseUnauthorized(res: Parameters<RequestHandler>[1]): void {
  res.status(401).set('WWW-Authenticate', 'Bearer').json({
    error_code: 401,
    message: "missing or wrong bearer token: send Authorization: Bearer <token> (the worker's --rest-auth-token)",
  })
}
