/**
 * JSON.parse loses integers beyond 2^53 (an int64 key of 9223372036854775807 comes back rounded).
 * parseJsonLossless reads those as bigint and everything else as JSON.parse does, at close to the
 * native parser's speed: every Debezium envelope carries a 19-digit `ts_ns`, so the slow path cannot
 * be the rare one.
 *
 * Text without a run of 16 digits goes straight to JSON.parse. Otherwise one regular expression walks
 * the text, skipping strings, and each integer token beyond 2^53 is swapped for a marker string
 * ("\u0000" and its index: a raw NUL never appears in JSON text, so only an escaped one could clash,
 * and text holding one takes lossless-json instead). The native parser reads the result, and a walk
 * puts the bigints back where the markers are.
 */
import { parse } from 'lossless-json'

const LONG_DIGITS = /\d{16}/
/**
 * From where it starts, everything that is not an integer of 16 or more digits outside a string:
 * text other than quotes and digits, whole string literals, and shorter digit runs. It stops at a long
 * digit run, at an unterminated string, or at the end.
 */
const UP_TO_LONG_DIGITS = /(?:[^"\d]+|"[^"\\]*(?:\\.[^"\\]*)*"|\d{1,15}(?!\d))*/y
const DIGIT_RUN = /\d+/y
const MARKER = '\\u0000'

function parseNumber(text: string): number | bigint {
  const value = Number(text)
  if (Number.isSafeInteger(value) || !/^-?\d+$/.test(text)) return value
  return BigInt(text)
}

function restore(value: unknown, bigints: readonly bigint[]): unknown {
  if (typeof value === 'string') {
    return value.length > 1 && value.charCodeAt(0) === 0 ? bigints[Number(value.slice(1))] : value
  }
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i], bigints)
    return value
  }
  const record = value as Record<string, unknown>
  for (const key in record) {
    const item = record[key]
    if (item !== null && (typeof item === 'object' || (typeof item === 'string' && item.charCodeAt(0) === 0))) {
      record[key] = restore(item, bigints)
    }
  }
  return record
}

/** The long integer tokens beyond 2^53 outside strings, as [start, end) pairs; undefined if the text is not JSON. */
function unsafeIntegers(text: string): number[] | undefined {
  const spans: number[] = []
  let at = 0
  for (;;) {
    UP_TO_LONG_DIGITS.lastIndex = at
    UP_TO_LONG_DIGITS.exec(text)
    at = UP_TO_LONG_DIGITS.lastIndex
    if (at >= text.length) return spans
    if (text.charCodeAt(at) === 34) return undefined
    DIGIT_RUN.lastIndex = at
    DIGIT_RUN.exec(text)
    const end = DIGIT_RUN.lastIndex
    const start = text.charCodeAt(at - 1) === 45 ? at - 1 : at
    const before = text[start - 1] ?? ' '
    const after = text[end] ?? ' '
    if (!/[\w.+-]/.test(before) && !/[.eE]/.test(after) && !Number.isSafeInteger(Number(text.slice(start, end)))) {
      spans.push(start, end)
    }
    at = end
  }
}

export function parseJsonLossless(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text) as unknown
  const spans = text.includes(MARKER) ? undefined : unsafeIntegers(text)
  if (spans === undefined) return parse(text, null, parseNumber)
  if (spans.length === 0) return JSON.parse(text) as unknown
  const bigints: bigint[] = []
  let marked = ''
  let from = 0
  for (let i = 0; i < spans.length; i += 2) {
    bigints.push(BigInt(text.slice(spans[i], spans[i + 1])))
    marked += `${text.slice(from, spans[i])}"${MARKER}${bigints.length - 1}"`
    from = spans[i + 1]!
  }
  return restore(JSON.parse(marked + text.slice(from)) as unknown, bigints)
}
