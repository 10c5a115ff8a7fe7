/**
 * Kafka's TimestampConverter for data with a schema: the schema says what a timestamp is (the
 * Timestamp, Date and Time logical types; any other string is text in `format`; any other int64 is
 * unix time in `unix.precision`, Debezium's MicroTimestamp included, as Connect reads it), and the
 * target type says what it becomes, schema and value: string, unix int64, or a logical Date (UTC
 * midnight), Time (the time of day on 1970-01-01) or Timestamp. Sub-millisecond digits are dropped.
 */
import { DATE, Logical, TIME, TIMESTAMP } from '../schema/logical.ts'
import { Schemas, type Schema } from '../schema/schema.ts'
import { dataError } from './struct-schema.ts'
import { formatDate, parseDate } from './timestamp-format.ts'

export type TimestampType = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp'
export type UnixPrecision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds'

export interface TimestampOptions {
  readonly format: string | undefined
  readonly precision: UnixPrecision
}

const DAY_MS = 86_400_000

/** Each target's schema, required and optional, built once. */
const TARGET_SCHEMAS: Readonly<Record<TimestampType, readonly [Schema, Schema]>> = {
  string: [Schemas.string(), Schemas.string({ optional: true })],
  unix: [Schemas.int64(), Schemas.int64({ optional: true })],
  Date: [Logical.date(), Logical.date({ optional: true })],
  Time: [Logical.time(), Logical.time({ optional: true })],
  Timestamp: [Logical.timestamp(), Logical.timestamp({ optional: true })],
}

export function targetSchema(type: TimestampType, optional: boolean): Schema {
  return TARGET_SCHEMAS[type][optional ? 1 : 0]
}

/** What a schema says a timestamp is; other schemas are not timestamps. */
export function timestampTypeOf(schema: Schema): TimestampType {
  if (schema.name === TIMESTAMP) return 'Timestamp'
  if (schema.name === DATE) return 'Date'
  if (schema.name === TIME) return 'Time'
  if (schema.type === 'string') return 'string'
  if (schema.type === 'int64') return 'unix'
  throw dataError(`Schema ${schema.name ?? schema.type} (${schema.type}) does not correspond to a known timestamp type format`)
}

function kindOf(value: unknown): string {
  if (value instanceof Date) return 'a Date'
  if (Buffer.isBuffer(value)) return 'bytes'
  return Array.isArray(value) ? 'an array' : typeof value
}

/** Integer division truncated toward zero, exact for safe integers. */
function divide(value: number, by: number): number {
  return (value - (value % by)) / by
}

function unixToMillis(value: unknown, precision: UnixPrecision): number {
  if (typeof value === 'bigint') {
    const divisor = precision === 'microseconds' ? 1000n : precision === 'nanoseconds' ? 1_000_000n : 1n
    return Number(precision === 'seconds' ? value * 1000n : value / divisor)
  }
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw dataError(`Expected Unix timestamp to be an int64, but found ${kindOf(value)}`)
  switch (precision) {
    case 'seconds':
      return value * 1000
    case 'milliseconds':
      return value
    case 'microseconds':
      return divide(value, 1000)
    case 'nanoseconds':
      return divide(value, 1_000_000)
  }
}

function millisToUnix(ms: number, precision: UnixPrecision): number | bigint {
  switch (precision) {
    case 'seconds':
      return divide(ms, 1000)
    case 'milliseconds':
      return ms
    case 'microseconds':
      return safeOrBig(BigInt(ms) * 1000n)
    case 'nanoseconds':
      return safeOrBig(BigInt(ms) * 1_000_000n)
  }
}

function safeOrBig(value: bigint): number | bigint {
  const number = Number(value)
  return Number.isSafeInteger(number) ? number : value
}

/** A timestamp of type `from` as ms since the epoch. */
export function readMillis(value: unknown, from: TimestampType, options: TimestampOptions): number {
  switch (from) {
    case 'string':
      if (typeof value !== 'string') throw dataError(`Expected string timestamp to be a string, but found ${kindOf(value)}`)
      try {
        return parseDate(value, options.format)
      } catch (error) {
        throw dataError(`Could not parse timestamp: ${(error as Error).message}`)
      }
    case 'unix':
      return unixToMillis(value, options.precision)
    default:
      // Logical types hold a Date; a number is what their JSON carries (days for a Date).
      if (value instanceof Date) return value.getTime()
      if (typeof value === 'number' && Number.isInteger(value)) return from === 'Date' ? value * DAY_MS : value
      if (typeof value === 'bigint' && from === 'Timestamp') return Number(value)
      throw dataError(`Expected ${from} to be a Date, but found ${kindOf(value)}`)
  }
}

/** ms since the epoch as a value of type `to`. */
export function writeMillis(ms: number, to: TimestampType, options: TimestampOptions): unknown {
  switch (to) {
    case 'string':
      return formatDate(ms, options.format)
    case 'unix':
      return millisToUnix(ms, options.precision)
    case 'Date':
      return new Date(Math.floor(ms / DAY_MS) * DAY_MS)
    case 'Time':
      return new Date(((ms % DAY_MS) + DAY_MS) % DAY_MS)
    case 'Timestamp':
      return new Date(ms)
  }
}
