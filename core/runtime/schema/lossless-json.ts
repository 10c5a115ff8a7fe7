/**
 * JSON.parse loses integers beyond 2^53 (an int64 key of 9223372036854775807 comes back rounded).
 * Text with a run of 16 or more digits is parsed with lossless-json instead, integers beyond 2^53 as
 * bigint; all other text, nearly all, goes through the native JSON.parse.
 */
import { parse } from 'lossless-json'

const LONG_DIGITS = /\d{16}/

function parseNumber(text: string): number | bigint {
  const value = Number(text)
  if (Number.isSafeInteger(value) || !/^-?\d+$/.test(text)) return value
  return BigInt(text)
}

export function parseJsonLossless(text: string): unknown {
  return LONG_DIGITS.test(text) ? parse(text, null, parseNumber) : (JSON.parse(text) as unknown)
}
