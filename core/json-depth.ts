/**
 * How deep a JSON text nests, found without parsing it: every JSON entry point (REST bodies, webhooks,
 * records read by the JSON converter) refuses a document nested deeper than the limit before anything
 * recursive (a transform, JSON.stringify, a sink) meets it, as Jackson's StreamReadConstraints do.
 * Structural characters are ASCII, so the bytes of UTF-8 text can be scanned as they are.
 */
import { TributaryError } from './errors.ts'

/** Jackson's default maximum nesting depth, which Kafka Connect's JSON converter inherits. */
export const DEFAULT_MAX_JSON_DEPTH = 1_000

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

/** The deepest nesting of arrays and objects in the text; 0 for a scalar. Stops counting past `stopAbove`. */
export function jsonDepth(text: Buffer | string, stopAbove = Number.POSITIVE_INFINITY): number {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]
    if (inString) {
      if (byte === BACKSLASH) i++
      else if (byte === QUOTE) inString = false
      continue
    }
    if (byte === QUOTE) inString = true
    else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > stopAbove) return deepest
      }
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) depth--
  }
  return deepest
}

/**
 * Whether the text nests deeper than `maxDepth`. A document with no more than `maxDepth` opening
 * brackets in all cannot, and counting them is two native byte searches: the byte-by-byte scan runs
 * only for the rare document with more (a large record of many small objects, or an attack).
 */
export function exceedsJsonDepth(text: Buffer | string, maxDepth: number): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  if (countUpTo(bytes, OPEN_BRACKET, maxDepth) + countUpTo(bytes, OPEN_BRACE, maxDepth) <= maxDepth) return false
  return jsonDepth(bytes, maxDepth) > maxDepth
}

/** Occurrences of `byte`, counted up to `limit` + 1. */
function countUpTo(bytes: Buffer, byte: number, limit: number): number {
  let count = 0
  for (let at = bytes.indexOf(byte); at !== -1 && count <= limit; at = bytes.indexOf(byte, at + 1)) count++
  return count
}

/** Throws TRB_JSON_TOO_DEEP when the text nests deeper than `maxDepth`. */
export function assertJsonDepth(text: Buffer | string, maxDepth: number, what: string): void {
  if (exceedsJsonDepth(text, maxDepth)) {
    throw new TributaryError('TRB_JSON_TOO_DEEP', `${what} nests deeper than ${maxDepth} levels of arrays and objects; flatten it`, {
      details: { maxDepth },
    })
  }
}
