/**
 * Field parsers for the HTTP connectors' flat string configs: values arrive as strings (from the REST
 * API or flattened YAML), so numbers, booleans, lists and durations are coerced here, once.
 */
import { z } from 'zod'

export const boolField = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((value) => value === true || value === 'true')

/** A comma-separated list; blanks dropped. */
export const listField = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
)

export const intField = (min: number) => z.coerce.number().int().min(min)

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const

/** `500ms`, `30s`, `5m`, `1h`, or a bare number of milliseconds. */
export const durationField = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(String(value).trim())
  const ms = match ? Math.round(Number(match[1]) * unitMs[(match[2] ?? 'ms') as keyof typeof unitMs]) : 0
  if (ms < 1) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration like 500ms, 30s, 5m or 1h` })
    return z.NEVER
  }
  return ms
})

/** A key naming a request header to send: `headers.<Name>=<value>`. `headers.include` is the webhook's own key. */
const HEADER_PREFIX = 'headers.'

/** The `headers.<Name>` keys of a config as request headers. */
export function requestHeaders(config: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(HEADER_PREFIX) && key !== 'headers.include' && typeof value === 'string')
      headers[key.slice(HEADER_PREFIX.length)] = value
  }
  return headers
}
