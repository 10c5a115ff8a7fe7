/**
 * MySQL's temporal values as both drivers hand them over (the server's text: `2024-02-29`,
 * `-838:59:59.000001`, `2024-02-29 10:11:12.123456`, TIMESTAMP in UTC) turned into the numbers
 * Debezium writes: days, µs of a time, ms or µs since the epoch, and a ZonedTimestamp's ISO text.
 * A zero date (`0000-00-00`, or a zero month or day) is `undefined`: the column mapping decides
 * what it becomes (null, or the epoch in a NOT NULL column, as Debezium does).
 * These run for every temporal column of every change, so dates are counted with the plugin API's
 * calendar, not Date objects, and a TIMESTAMP's ISO text is cut from the server's when that text is
 * already a plain valid date (the one before is kept: rows written together share their time).
 */
import { daysFromCivil } from '../../../core/runtime/plugin.ts'

const DAY_MS = 86_400_000
const DATE = /^(-?\d{1,6})-(\d{1,2})-(\d{1,2})/
const TIME = /^(-)?(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?$/
const DATETIME = /^(\d{1,6})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?/

/** ms since the epoch at midnight UTC of a calendar date (years before 100 as they are, not 19xx). */
function utcMillis(year: number, month: number, day: number): number {
  return daysFromCivil(year, month, day) * DAY_MS
}

/** Six digits of µs from a fraction's text. */
function micros(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.slice(0, 6).padEnd(6, '0'))
}

/** Days since the epoch; undefined for a zero date. */
export function epochDays(text: string): number | undefined {
  const match = DATE.exec(text)
  if (match === null) throw new Error(`"${text}" is not a date`)
  const [, year, month, day] = match.map(Number) as [number, number, number, number]
  if (month === 0 || day === 0) return undefined
  return utcMillis(year, month, day) / DAY_MS
}

/** µs of a TIME (which may be negative or beyond a day: -838:59:59 … 838:59:59). */
export function timeMicros(text: string): number {
  const match = TIME.exec(text)
  if (match === null) throw new Error(`"${text}" is not a time`)
  const value = ((Number(match[2]) * 60 + Number(match[3])) * 60 + Number(match[4])) * 1_000_000 + micros(match[5])
  return match[1] === '-' ? -value : value
}

/** The parts of a DATETIME or TIMESTAMP; undefined for a zero date. */
function dateTimeParts(text: string): { ms: number; micro: number; fraction: string } | undefined {
  const match = DATETIME.exec(text)
  if (match === null) throw new Error(`"${text}" is not a date and time`)
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  if (month === 0 || day === 0) return undefined
  const micro = micros(match[7])
  const ms = utcMillis(year, month, day) + ((hour * 60 + minute) * 60 + second) * 1000 + Math.floor(micro / 1000)
  return { ms, micro: micro % 1000, fraction: match[7] ?? '' }
}

/** ms since the epoch (sub-ms digits dropped); undefined for a zero date. */
export function epochMillis(text: string): number | undefined {
  return dateTimeParts(text)?.ms
}

/** µs since the epoch, a bigint beyond 2^53; undefined for a zero date. */
export function epochMicros(text: string): number | bigint | undefined {
  const parts = dateTimeParts(text)
  if (parts === undefined) return undefined
  const value = parts.ms * 1000 + parts.micro
  return Number.isSafeInteger(value) ? value : BigInt(parts.ms) * 1000n + BigInt(parts.micro)
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

/**
 * A TIMESTAMP (UTC text) as io.debezium.time.ZonedTimestamp: ISO 8601 with a Z. A snapshot row's
 * fraction is written without trailing zeros (Java's ISO formatter over the JDBC value); a streamed
 * one keeps the column's `fsp` digits (the binlog's own text), as Debezium writes each. A zero
 * TIMESTAMP is the epoch in the binlog, and undefined in a snapshot.
 */
export function zonedTimestamp(text: string, fsp: number, streamed: boolean): string | undefined {
  if (text === last.text && fsp === last.fsp && streamed === last.streamed) return last.iso
  const iso = isoOf(text, fsp, streamed)
  last = { text, fsp, streamed, iso }
  return iso
}

/** The last TIMESTAMP made ISO text, and its answer. */
let last: { text: string; fsp: number; streamed: boolean; iso: string | undefined } = { text: '', fsp: -1, streamed: false, iso: undefined }

/** A date and time whose fields are already what its ISO text says: a day every month has (1-28). */
const PLAIN_DATETIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8]) (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.(\d{1,9}))?$/

function isoOf(text: string, fsp: number, streamed: boolean): string | undefined {
  let head: string
  let fraction: string
  const plain = PLAIN_DATETIME.exec(text)
  if (plain !== null) {
    head = `${text.slice(0, 10)}T${text.slice(11, 19)}`
    fraction = plain[1] ?? ''
  } else {
    const parts = dateTimeParts(text)
    if (parts === undefined && !streamed) return undefined
    const date = new Date(parts?.ms ?? 0)
    const year = date.getUTCFullYear()
    head = `${year < 0 ? '-' : ''}${pad(Math.abs(year), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`
    fraction = parts?.fraction ?? ''
  }
  const digits = streamed ? fraction.padEnd(fsp, '0').slice(0, fsp) : fraction.replace(/0+$/, '')
  return `${head}${digits === '' ? '' : `.${digits}`}Z`
}

/** A Date within the epoch's first day for Kafka Connect's Time; undefined outside it, which Connect cannot hold. */
export function connectTime(text: string): Date | undefined {
  const value = timeMicros(text)
  if (value < 0 || value >= DAY_MS * 1000) return undefined
  return new Date(Math.floor(value / 1000))
}
