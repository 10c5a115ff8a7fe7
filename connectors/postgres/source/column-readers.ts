/**
 * PostgreSQL text values read into the data their Debezium schema describes (schema.ts): numbers,
 * exact decimal text, Buffers, Debezium's bit strings, points, durations. Each reader is a plain
 * function of the text, picked once per column (column-schema.ts), so a row costs one call per value.
 */
import { twosComplementBytes } from '../../../core/runtime/plugin.ts'
import { epochMicros, epochMillis, epochNanos, isoDate, isoTime, parseInterval, parseTimeOfDay, parseTimestamp } from './temporal-text.ts'

const MAX_SAFE = Number.MAX_SAFE_INTEGER

export type Reader = (text: string) => unknown

export const readBoolean: Reader = (text) => text === 't'

export const readInteger: Reader = (text) => +text

/** int64: a number within 2^53, a bigint beyond. */
export const readLong: Reader = (text) => {
  const value = +text
  return value <= MAX_SAFE && value >= -MAX_SAFE ? value : BigInt(text)
}

/** float4 and float8 (NaN, Infinity and -Infinity included). */
export const readFloat: Reader = (text) => +text

export const readText: Reader = (text) => text

/** bytea's hex form (`\x48690a`); the escape form of old servers as its bytes. */
export function readBytes(text: string): Buffer {
  return text.startsWith('\\x') ? Buffer.from(text.slice(2), 'hex') : Buffer.from(text, 'latin1')
}

/** NaN, Infinity and -Infinity of numeric. */
export const SPECIAL_DECIMALS: Readonly<Record<string, { double: number; string: string }>> = {
  NaN: { double: Number.NaN, string: 'NAN' },
  Infinity: { double: Number.POSITIVE_INFINITY, string: 'POSITIVE_INFINITY' },
  '-Infinity': { double: Number.NEGATIVE_INFINITY, string: 'NEGATIVE_INFINITY' },
}

/** NaN or ±Infinity: their text is the only numeric text with a letter where a digit, sign or point would be. */
export function isSpecialDecimal(text: string): boolean {
  const first = text.charCodeAt(0)
  return first === 78 || first === 73 || (first === 45 && text.charCodeAt(1) === 73) // N, I, -I
}

/**
 * io.debezium.data.VariableScaleDecimal of a numeric without a declared scale: the value with
 * trailing zeros stripped (12.300 → scale 1, 123), never a negative scale (1200 → scale 0, 1200).
 */
export function readVariableScaleDecimal(text: string): { scale: number; value: Buffer } | null {
  if (isSpecialDecimal(text)) return null
  const negative = text.startsWith('-')
  const body = negative || text.startsWith('+') ? text.slice(1) : text
  const point = body.indexOf('.')
  const whole = point < 0 ? body : body.slice(0, point)
  const fraction = point < 0 ? '' : body.slice(point + 1).replace(/0+$/, '')
  const unscaled = BigInt(`${whole}${fraction}` || '0') * (negative ? -1n : 1n)
  return { scale: unscaled === 0n ? 0 : fraction.length, value: twosComplementBytes(unscaled) }
}

/** Money's text (`$1,234.56`, `-$0.50`, `($3.00)`): the plain decimal. */
export function moneyDecimal(text: string): string {
  const negative = text.startsWith('-') || text.startsWith('(')
  let body = text.replace(/^[-(]+|\)$/g, '')
  const first = body.charCodeAt(0)
  if (body !== '' && !(first >= 48 && first <= 57) && body[0] !== '.') body = body.slice(1)
  body = body.replaceAll(',', '')
  return negative ? `-${body}` : body
}

/** A decimal's text at `scale` digits, rounded half up (BigDecimal.setScale(scale, HALF_UP)). */
export function atScale(text: string, scale: number): string {
  const negative = text.startsWith('-')
  const body = negative ? text.slice(1) : text
  const [whole = '0', fraction = ''] = body.split('.')
  let digits = BigInt(`${whole}${fraction.slice(0, scale).padEnd(scale, '0')}`)
  if (fraction.length > scale && fraction.charCodeAt(scale) - 48 >= 5) digits += 1n
  let result = digits.toString().padStart(scale + 1, '0')
  if (scale > 0) result = `${result.slice(0, -scale)}.${result.slice(-scale)}`
  return negative && digits !== 0n ? `-${result}` : result
}

/**
 * io.debezium.data.Bits of a bit string: the bits as a number, least significant byte first, in
 * the fewest bytes that hold its highest set bit (Java's BitSet.toByteArray).
 */
export function readBits(text: string): Buffer {
  const bytes: number[] = []
  let highest = -1
  for (let bit = 0; bit < text.length; bit++) {
    if (text.charCodeAt(text.length - 1 - bit) !== 49) continue
    const index = bit >> 3
    while (bytes.length <= index) bytes.push(0)
    bytes[index] = (bytes[index] as number) | (1 << (bit & 7))
    highest = bit
  }
  return Buffer.from(bytes.slice(0, highest < 0 ? 0 : (highest >> 3) + 1))
}

/** bit(1) and varbit(1): a boolean. */
export const readBit: Reader = (text) => text.includes('1')

/** io.debezium.data.geometry.Point of `(x,y)`: x, y, the point as little-endian WKB, no SRID. */
export function readPoint(text: string): { x: number; y: number; wkb: Buffer; srid: null } {
  const comma = text.indexOf(',')
  const x = Number(text.slice(1, comma))
  const y = Number(text.slice(comma + 1, -1))
  return { x, y, wkb: pointWkb(x, y), srid: null }
}

export function pointWkb(x: number, y: number): Buffer {
  const wkb = Buffer.alloc(21)
  wkb.writeUInt8(1, 0)
  wkb.writeInt32LE(1, 1)
  wkb.writeDoubleLE(x, 5)
  wkb.writeDoubleLE(y, 13)
  return wkb
}

const DAYS_PER_MONTH = 365.25 / 12

/** io.debezium.time.MicroDuration: µs, a month being 365.25 / 12 days, computed as Debezium computes it in doubles. */
export const readMicroDuration: Reader = (text) => {
  const parts = parseInterval(text)
  const seconds = parts.seconds + parts.micros / 1_000_000
  const days = (parts.years * 12 + parts.months) * DAYS_PER_MONTH + parts.days
  const total = ((days * 24 + parts.hours) * 60 + parts.minutes) * 60 + seconds
  const micros = Math.trunc(total * 1e6)
  return Number.isSafeInteger(micros) ? micros + 0 : BigInt(micros)
}

/** Java's BigDecimal.valueOf(double).stripTrailingZeros().toPlainString() for a number of seconds (µs at most). */
function plainSeconds(seconds: number): string {
  if (seconds === 0) return '0'
  // JavaScript writes an exponent only below 1e-6 (none with µs) or from 1e21 (no interval's seconds).
  const text = String(seconds).includes('e') ? seconds.toFixed(9) : String(seconds)
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/** io.debezium.time.Interval: `P<y>Y<m>M<d>DT<h>H<m>M<s>S`, every part written. */
export const readIsoInterval: Reader = (text) => {
  const parts = parseInterval(text)
  const seconds = plainSeconds(parts.seconds + parts.micros / 1_000_000)
  return `P${parts.years}Y${parts.months}M${parts.days}DT${parts.hours}H${parts.minutes}M${seconds}S`
}

/** Debezium's value of ±infinity in a timestamp column: PostgreSQL's internal limits, as µs. */
const INFINITY_MICROS: Readonly<Record<string, bigint>> = { infinity: 9_223_372_036_825_200_000n, '-infinity': -9_223_372_036_832_400_000n }

export type TimestampUnit = 'millis' | 'micros' | 'nanos' | 'date'

/** A timestamp without time zone as ms, µs or ns since the epoch, or (Kafka Connect's Timestamp) a Date. */
export function timestampReader(unit: TimestampUnit): Reader {
  return (text) => {
    const infinite = INFINITY_MICROS[text]
    if (infinite !== undefined) {
      if (unit === 'nanos') return text === 'infinity' ? 9_223_372_036_854_775_807n : -9_223_372_036_854_775_808n
      if (unit === 'micros') return infinite
      // Beyond what a JavaScript Date holds: Kafka Connect's Timestamp takes the ms as they are.
      return Number(infinite / 1000n)
    }
    const instant = parseTimestamp(text)
    switch (unit) {
      case 'millis':
        return epochMillis(instant)
      case 'micros':
        return epochMicros(instant)
      case 'nanos':
        return epochNanos(instant)
      case 'date':
        return new Date(epochMillis(instant))
    }
  }
}

export type TimeUnit = 'millis' | 'micros' | 'nanos' | 'date'

export function timeReader(unit: TimeUnit): Reader {
  return (text) => {
    const { micros } = parseTimeOfDay(text)
    switch (unit) {
      case 'millis':
        return Math.floor(micros / 1000)
      case 'micros':
        return micros
      case 'nanos':
        return micros * 1000
      case 'date':
        return new Date(Math.floor(micros / 1000))
    }
  }
}

/** ±infinity in a date column: the most and fewest days an int32 holds. */
const INFINITY_DAYS: Readonly<Record<string, number>> = { infinity: 2_147_483_647, '-infinity': -2_147_483_648 }

/** A date as days since the epoch, or (Kafka Connect's Date) a Date at midnight UTC. */
export function dateReader(asDate: boolean): Reader {
  return (text) => {
    const infinite = INFINITY_DAYS[text]
    if (infinite !== undefined) return asDate ? new Date(infinite * 86_400_000) : infinite
    const days = parseTimestamp(text).days
    return asDate ? new Date(days * 86_400_000) : days
  }
}

const ZEROS = '000000000'

/** io.debezium.time.ZonedTimestamp: ISO at UTC (`Z`), with `width` fraction digits (the column's scale; 0: as many as needed). */
export function zonedTimestampReader(width: number): Reader {
  const fixed = width > 0 && width <= 9 ? width : null
  // Rows written together often hold the same time: the last one's text is kept.
  let lastText = ''
  let lastValue = ''
  return (text) => {
    if (text === lastText) return lastValue
    lastValue = zonedTimestamp(text, fixed)
    lastText = text
    return lastValue
  }
}

function zonedTimestamp(text: string, fixed: number | null): string {
  if (text === 'infinity' || text === '-infinity') return text
  // The usual text of a UTC session, `2024-02-29 10:11:12.345+00`: only its fraction changes.
  if (fixed !== null && text.length >= 22 && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 32 && text.endsWith('+00')) {
    const fraction = text.charCodeAt(19) === 46 ? text.slice(20, -3) : ''
    if (fraction.length <= 9) return `${text.slice(0, 10)}T${text.slice(11, 19)}.${(fraction + ZEROS).slice(0, fixed)}Z`
  }
  const instant = parseTimestamp(text)
  return `${isoDate(instant.days)}T${isoTime(instant.micros, fixed)}Z`
}

/** io.debezium.time.ZonedTime: the time at UTC (`10:15:30.5Z`), the fraction as short as it can be. */
export const readZonedTime: Reader = (text) => {
  const local = parseTimeOfDay(text)
  const offset = text.slice(local.end)
  const sign = offset.startsWith('-') ? -1 : 1
  const [hours = 0, minutes = 0, seconds = 0] = offset.slice(1).split(':').map(Number)
  const day = 86_400_000_000
  let micros = (local.micros - sign * ((hours * 60 + minutes) * 60 + seconds) * 1_000_000) % day
  if (micros < 0) micros += day
  return `${isoTime(micros, null)}Z`
}
