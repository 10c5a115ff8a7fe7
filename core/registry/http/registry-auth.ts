/**
 * The registry asks for the REST API's token (`--rest-auth-token`), in either way its clients send
 * credentials: `Authorization: Bearer <token>`, or HTTP Basic with the token as the password (what a
 * Confluent client sends with `basic.auth.user.info=<any user>:<token>`). The token is compared as the
 * REST API compares it: in constant time, as HMAC digests.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { RequestHandler } from 'express'

const digestKey = randomBytes(32)

function digest(text: string): Buffer {
  return createHmac('sha256', digestKey).update(text).digest()
}

/** The token an Authorization header carries: the bearer token, or a Basic password. */
function presented(authorization: string | undefined): string {
  const header = authorization?.trim() ?? ''
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]
  if (bearer !== undefined) return bearer
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header)?.[1]
  if (basic === undefined) return ''
  const decoded = Buffer.from(basic, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? '' : decoded.slice(colon + 1)
}

export function registryAuth(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token)
  return (req, res, next) => {
    if (expected === undefined || timingSafeEqual(digest(presented(req.get('authorization'))), expected)) {
      next()
      return
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Basic realm="schema-registry", Bearer')
      .type('application/vnd.schemaregistry.v1+json')
      .send(
        JSON.stringify({
          error_code: 401,
          message:
            "missing or wrong credentials: send the worker's --rest-auth-token as Authorization: Bearer <token>, or as the password of HTTP Basic (basic.auth.user.info=<user>:<token>)",
        }),
      )
  }
}
