/**
 * What a secret is and how it is masked, in one place for everything that shows a config or an error
 * (REST answers, validate, plan, task traces, dead-letter headers, logs). A secret is
 * - the value of a key named like one (`password`, `auth.token`, `api.key`…),
 * - the value of a header-like key naming a credential header (`headers.Authorization`,
 *   `http.headers.cookie`, `headers.X-Api-Key`, any `*-token` or `*-key`),
 * - the password inside a URL's userinfo (`postgres://u:pw@h/db`) or in a `password=` parameter
 *   (a URL's query, which node-postgres reads, or a libpq `key=value` string), in any value or text.
 * Masking puts the placeholder where the secret was and keeps everything else, so a masked URL still
 * says where it points.
 */
export const HIDDEN = '[hidden]'

/** Keys that look like secrets: never logged, never returned by the API. */
export const SECRET_KEY_PATTERN = /(password|passwd|secret|token|credential|api[._-]?key|private[._-]?key|user[._-]?info)/i

/** The last segment of a header-like key that names a credential-carrying HTTP header. */
const CREDENTIAL_HEADER = /^(?:(?:proxy-)?authorization|(?:set-)?cookie|.+-(?:token|key|secret|auth|session|signature|pass))$/i

/**
 * Secrets inside text, each as (what comes before it)(the secret)(what follows it); the middle group
 * is masked. In order: a URL's userinfo password (`scheme://user:password@`, up to the last `@` before
 * the host, as URL parsers read it), a `password=` parameter (also `passwd`, `pwd`; a query string or a
 * libpq `key=value` string, up to `&`, `;`, space or quote), and an HTTP credential quoted from a
 * header (`Authorization: Basic <base64>`, `Bearer <token>`).
 */
const TEXT_SECRET_PARTS: readonly RegExp[] = [
  /(\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/?#@'"<>]*:)([^\s/?#'"<>]*)(@)/,
  /((?:password|passwd|pwd)\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&;'"]+)()/,
  /(\bauthorization["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|Digest|Token)\s+)?)(\[hidden\]|[^\s"',;]+)()/,
  /(\bBearer\s+)(\[hidden\]|[A-Za-z0-9._~+/-]{8,}=*)()/,
]

/** All of them in one pass, so that text one of them masked is never read again by another. */
const TEXT_SECRETS = new RegExp(TEXT_SECRET_PARTS.map((part) => part.source).join('|'), 'gi')

const MIGHT_HOLD_SECRET = /@|(?:password|passwd|pwd)\s*=|authorization|Bearer/i

/** Calls `replace` with each secret found in the text, in order, and puts what it returns in its place. */
function replaceSecrets(text: string, replace: (secret: string) => string): string {
  if (!MIGHT_HOLD_SECRET.test(text)) return text
  return text.replace(TEXT_SECRETS, (match: string, ...groups: unknown[]) => {
    for (let part = 0; part < TEXT_SECRET_PARTS.length; part++) {
      const [head, secret, tail] = groups.slice(part * 3, part * 3 + 3) as Array<string | undefined>
      if (secret === undefined) continue
      return secret === '' ? match : `${head ?? ''}${replace(secret)}${tail ?? ''}`
    }
    return match
  })
}

/** Whether a key's value is a secret as a whole. */
export function isSecretKey(key: string): boolean {
  if (SECRET_KEY_PATTERN.test(key)) return true
  const segment = key.slice(key.lastIndexOf('.') + 1)
  return CREDENTIAL_HEADER.test(segment)
}

/** Text with every password inside a URL, `password=` parameter or quoted credential replaced by the placeholder. */
export function maskText(text: string): string {
  return replaceSecrets(text, () => HIDDEN)
}

/** A config value as it may be shown: the placeholder for a secret key, else the value with passwords masked. */
export function maskValue(key: string, value: string): string {
  return isSecretKey(key) ? HIDDEN : maskText(value)
}

/** A connector config (or any map of string settings) as it may be shown. */
export function maskConfig(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, maskValue(key, value)]))
}

/** Whether a value, as stored, holds a secret that masking hides (the whole of it or a part). */
export function holdsSecret(key: string, value: string): boolean {
  return isSecretKey(key) ? value !== '' : maskText(value) !== value
}

/**
 * The secrets inside a value, in the order `maskText` replaces them; `restoreMaskedText` puts them
 * back into a masked value by that order.
 */
export function secretsInText(text: string): string[] {
  const found: string[] = []
  replaceSecrets(text, (secret) => {
    found.push(secret)
    return secret
  })
  return found
}

/**
 * A masked value with the stored secrets put back in the placeholders' places, or undefined when the
 * value holds no placeholder where a secret goes, or its placeholders and the stored secrets do not
 * line up one to one (the caller must then ask for the secrets).
 */
export function restoreMaskedText(masked: string, stored: string): string | undefined {
  const secrets = secretsInText(stored)
  const placeholders = secretsInText(masked)
  if (placeholders.length !== secrets.length || placeholders.length === 0 || placeholders.some((secret) => secret !== HIDDEN))
    return undefined
  let index = 0
  return replaceSecrets(masked, () => secrets[index++] as string)
}

/**
 * Plain objects and arrays with their strings masked and the string values of keys named like secrets
 * hidden; for log fields. Anything else (an Error, a Buffer, a class instance) is returned as it is.
 */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value)
  if (value === null || typeof value !== 'object' || depth > 8) return value
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1))
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return value
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, typeof item === 'string' && isSecretKey(key) ? HIDDEN : maskDeep(item, depth + 1)]),
  )
}
