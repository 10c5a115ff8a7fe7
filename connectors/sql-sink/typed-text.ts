/**
 * Typed values that every SQL dialect writes as the same exact text: decimals (Connect's Decimal is
 * already its text; Debezium's VariableScaleDecimal is a scale and the unscaled bytes), Debezium's
 * Bits (little-endian bytes) as a bit string, a geometry Point's coordinates, and structs, maps and
 * arrays as JSON with bytes as base64 (as Connect's JsonConverter writes them) and int64 digits kept.
 */
import { decimalFromBytes } from '../../core/runtime/plugin.ts'

/** The exact decimal text of a Decimal value (its text, or a number or bigint). */
export function decimalValueText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  throw new TypeError(`a decimal must be text or a number, got ${typeof value}`)
}

/** VariableScaleDecimal `{ scale, value }` (value: the unscaled two's-complement bytes) as exact decimal text. */
export function variableDecimalText(value: unknown): string {
  const { scale, value: bytes } = (value ?? {}) as { scale?: unknown; value?: unknown }
  if (typeof scale !== 'number' || !Buffer.isBuffer(bytes)) throw new TypeError('a VariableScaleDecimal must be { scale, value: bytes }')
  return decimalFromBytes(bytes, scale)
}

/**
 * Debezium's Bits (bit i is bit i % 8 of byte i / 8, Java's BitSet) as `0`/`1` text, the highest bit
 * first: `length` digits, or as many as the highest set bit needs when the length is unknown.
 */
export function bitText(bytes: Buffer, length: number | undefined): string {
  let width = length
  if (width === undefined || width <= 0 || width >= 2_147_483_647) {
    width = 0
    for (let i = bytes.length * 8 - 1; i >= 0; i--) {
      if ((((bytes[i >> 3] as number) >> (i & 7)) & 1) === 1) {
        width = i + 1
        break
      }
    }
  }
  let text = ''
  for (let i = width - 1; i >= 0; i--) text += (((bytes[i >> 3] ?? 0) >> (i & 7)) & 1) === 1 ? '1' : '0'
  return text
}

/** The same bits as big-endian bytes (the first byte holds the highest bits), as MySQL's BIT and BINARY take them. */
export function bitBytes(bytes: Buffer, length: number | undefined): Buffer {
  const text = bitText(bytes, length)
  const padded = text.padStart(Math.ceil(text.length / 8) * 8, '0')
  const result = Buffer.alloc(padded.length / 8)
  for (let i = 0; i < result.length; i++) result[i] = Number.parseInt(padded.slice(i * 8, i * 8 + 8), 2)
  return result
}

/** A geometry Point struct's `x` and `y`. */
export function pointCoordinates(value: unknown): [x: number, y: number] {
  const { x, y } = (value ?? {}) as { x?: unknown; y?: unknown }
  if (typeof x !== 'number' || typeof y !== 'number') throw new TypeError('a Point must have numbers x and y')
  return [x, y]
}

/** JSON text of typed data: Buffers as base64, bigints as their digits, Maps as objects, Dates as ISO text. */
export function typedJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'bigint':
      return value.toString()
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'
    case 'string':
    case 'boolean':
      return JSON.stringify(value)
    default:
      break
  }
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('base64'))
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(typedJson).join(',')}]`
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>)
  return `{${entries.map(([key, item]) => `${JSON.stringify(String(key))}:${typedJson(item)}`).join(',')}}`
}
