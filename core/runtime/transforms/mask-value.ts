/**
 * What Kafka's MaskField puts in a field whose schema is known: the type's null-equivalent (0, 0.0,
 * false, "", a zero Decimal, the epoch for Date/Time/Timestamp, an empty array or map), or the
 * `replacement` text read as the field's type the way Connect reads it (a number through Java's
 * BigDecimal, truncated and narrowed to an integer type's width). A struct has no null-equivalent, and
 * a replacement fits only numbers, Decimals and strings; those fail as in Connect, for a non-null value.
 */
import { DATE, DECIMAL, TIME, TIMESTAMP, decimalScale, decimalText, unscaledOf } from '../schema/logical.ts'
import type { Schema } from '../schema/schema.ts'
import { dataError } from './struct-schema.ts'

/** Java's BigDecimal(String) grammar. */
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/** The integer part of a decimal text, as BigDecimal.toBigInteger gives it (truncated toward zero). */
function integerPart(text: string): bigint {
  const match = DECIMAL_TEXT.exec(text)
  if (match === null || `${match[2] ?? ''}${match[3] ?? ''}` === '') throw dataError(`Unable to convert ${text} to a number`)
  const [, sign, whole = '', fraction = '', exponent = '0'] = match
  const digits = BigInt(`${whole}${fraction}` || '0')
  const shift = Number(exponent) - fraction.length
  // Beyond 64 places the low 64 bits a Java long keeps are all zero either way.
  const magnitude = shift >= 0 ? (shift >= 64 ? 0n : digits * 10n ** BigInt(shift)) : -shift > 400 ? 0n : digits / 10n ** BigInt(-shift)
  return sign === '-' ? -magnitude : magnitude
}

const WIDTH = { int8: 8, int16: 16, int32: 32, int64: 64 } as const

function replacementOf(schema: Schema, replacement: string, field: string): () => unknown {
  const refuse = (kind: string) => () => {
    throw dataError(`Cannot mask field ${field} of type ${kind} with custom replacement`)
  }
  if (schema.name === DATE || schema.name === TIME || schema.name === TIMESTAMP) return refuse(schema.name)
  if (schema.name === DECIMAL) {
    const scale = decimalScale(schema)
    let text: string
    try {
      if (!DECIMAL_TEXT.test(replacement)) throw new Error(`"${replacement}" is not a decimal number`)
      text = decimalText(unscaledOf(replacement, scale), scale)
    } catch (error) {
      const message = `Unable to convert ${replacement} to a Decimal of scale ${scale} for field ${field}: ${(error as Error).message}`
      return () => {
        throw dataError(message)
      }
    }
    return () => text
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64': {
      let value: bigint
      try {
        value = BigInt.asIntN(WIDTH[schema.type], integerPart(replacement))
      } catch (error) {
        const message = (error as Error).message
        return () => {
          throw dataError(`${message} (field ${field})`)
        }
      }
      const number = Number(value)
      const result = Number.isSafeInteger(number) ? number : value
      return () => result
    }
    case 'float32':
    case 'float64': {
      const match = DECIMAL_TEXT.exec(replacement)
      if (match === null || `${match[2] ?? ''}${match[3] ?? ''}` === '') {
        return () => {
          throw dataError(`Unable to convert ${replacement} to a number (field ${field})`)
        }
      }
      const value = schema.type === 'float32' ? Math.fround(Number(replacement)) : Number(replacement)
      return () => value
    }
    case 'string':
      return () => replacement
    default:
      return refuse(schema.type)
  }
}

function nullEquivalentOf(schema: Schema, field: string): (value: unknown) => unknown {
  if (schema.name === DATE || schema.name === TIME || schema.name === TIMESTAMP) return () => new Date(0)
  if (schema.name === DECIMAL) {
    const zero = decimalText(0n, decimalScale(schema))
    return () => zero
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
      return () => 0
    case 'boolean':
      return () => false
    case 'string':
      return () => ''
    case 'bytes':
      return () => Buffer.alloc(0)
    case 'array':
      return () => []
    case 'map':
      return (value) => (value instanceof Map ? new Map() : {})
    case 'struct':
      return () => {
        throw dataError(`Cannot mask field ${field} of type struct`)
      }
  }
}

/** The function that masks a non-null value of a field with this schema (null stays null). */
export function maskerFor(schema: Schema, replacement: string | undefined, field: string): (value: unknown) => unknown {
  const mask = replacement === undefined ? nullEquivalentOf(schema, field) : replacementOf(schema, replacement, field)
  return (value) => (value === null || value === undefined ? null : mask(value))
}
