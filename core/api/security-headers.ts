/**
 * Headers on every response, API and dashboard alike: the dashboard loads only its own scripts,
 * styles and API (a Content-Security-Policy that gives injected markup nothing to run), no page may
 * frame it (clickjacking of its buttons), no browser guesses a type other than the one sent, and no
 * URL of the worker leaks in a Referer.
 */
import type { RequestHandler } from 'express'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set(HEADERS)
    next()
  }
}
