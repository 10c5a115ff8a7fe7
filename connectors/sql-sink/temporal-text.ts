/**
 * Dates, times and timestamps of a typed record as the exact text SQL databases read: Connect's
 * Date/Time/Timestamp (a JS Date) and Debezium's ms, µs and ns integers, worked out in integer
 * arithmetic (BigInt), so a MicroTimestamp keeps its six digits and nothing passes through a float.
 * Days before year 1 are written PostgreSQL's way (`0001-12-31 BC`); MySQL refuses them, as it
 * cannot hold them.
 */
import { civilFromDays, DebeziumNames, TIME, TIMESTAMP, type Schema } from '../../core/runtime/plugin.ts'

const DAY_US = 86_400_000_000n
const DAY_MS = 86_400_000

/** An integer value (number or bigint) as a bigint; a fraction (a float64 MicroDuration) is rounded. */
export function wholeNumber(value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.round(value))
  throw new TypeError(`${typeof value} ${String(value).slice(0, 40)} is not a whole number`)
}

function floorDivide(a: bigint, b: bigint): bigint {
  const quotient = a / b
  return a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient
}

function millisOf(value: unknown): bigint {
  return value instanceof Date ? BigInt(value.getTime()) : wholeNumber(value)
}

/** µs since the epoch of a Connect Timestamp or a Debezium Timestamp, MicroTimestamp or NanoTimestamp (ns are cut to µs). */
export function epochMicros(schema: Schema, value: unknown): bigint {
  switch (schema.name) {
    case TIMESTAMP:
    case DebeziumNames.timestamp:
      return millisOf(value) * 1000n
    case DebeziumNames.nanoTimestamp:
      return floorDivide(wholeNumber(value), 1000n)
    default:
      return value instanceof Date ? BigInt(value.getTime()) * 1000n : wholeNumber(value)
  }
}

/** µs since midnight of a Connect Time or a Debezium Time, MicroTime or NanoTime (MySQL's may be negative or past 24 h). */
export function dayMicros(schema: Schema, value: unknown): bigint {
  switch (schema.name) {
    case TIME:
    case DebeziumNames.time:
      return millisOf(value) * 1000n
    case DebeziumNames.nanoTime:
      return floorDivide(wholeNumber(value), 1000n)
    default:
      return wholeNumber(value)
  }
}

/** Days since the epoch of a Connect Date (a Date at midnight UTC) or a Debezium Date. */
export function epochDays(value: unknown): number {
  return value instanceof Date ? Math.floor(value.getTime() / DAY_MS) : Number(wholeNumber(value))
}

const pad = (n: number | bigint, width = 2) => String(n).padStart(width, '0')

/** `YYYY-MM-DD` of a day number in the proleptic Gregorian calendar. */
export function dateText(days: number): string {
  const { year, month, day } = civilFromDays(days)
  return year >= 1 ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : `${pad(1 - year, 4)}-${pad(month)}-${pad(day)} BC`
}

/** `HH:MM:SS.ffffff` of µs; beyond a day the hours go on (`838:59:59.000000`), and a negative span is signed. */
export function clockText(micros: bigint): string {
  const negative = micros < 0n
  let rest = negative ? -micros : micros
  const fraction = rest % 1_000_000n
  rest /= 1_000_000n
  const seconds = rest % 60n
  rest /= 60n
  return `${negative ? '-' : ''}${pad(rest / 60n)}:${pad(rest % 60n)}:${pad(seconds)}.${pad(fraction, 6)}`
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` of µs since the epoch, in UTC (` BC` after the time before year 1). */
export function timestampText(micros: bigint): string {
  const days = floorDivide(micros, DAY_US)
  const date = dateText(Number(days))
  const time = clockText(micros - days * DAY_US)
  return date.endsWith(' BC') ? `${date.slice(0, -3)} ${time} BC` : `${date} ${time}`
}
