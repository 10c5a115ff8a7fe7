/**
 * Optional bearer-token auth (`rest.auth.token`): every request but the health probe must carry
 * `Authorization: Bearer <token>`. Compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto'
import type { RequestHandler } from 'express'

export function bearerAuth(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : Buffer.from(`Bearer ${token}`)
  return (req, res, next) => {
    if (expected === undefined || req.path === '/health') {
      next()
      return
    }
    const given = Buffer.from(req.get('authorization') ?? '')
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      next()
      return
    }
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error_code: 401, message: 'missing or wrong bearer token' })
  }
}
