/**
 * PostgreSQL's date and time text (DateStyle ISO, TimeZone UTC, IntervalStyle iso_8601: the session
 * settings of every Tributary connection) read into the numbers Debezium's temporal types carry, and
 * the ISO strings of its zoned types written as Java's formatters write them. Dates are proleptic
 * Gregorian with year 0 for 1 BC, as both PostgreSQL and java.time count.
 */
import { civilFromDays, daysFromCivil } from '../../../core/runtime/plugin.ts'

const DAY_US = 86_400_000_000
const MAX_SAFE_DAYS = 104_000 // days × µs/day stays below 2^53 within this many days of the epoch

/** `2024-02-29`, `0044-03-15 BC`: days since the epoch. */
export function parseDate(text: string): number {
  const bc = text.endsWith(' BC')
  const dash = text.indexOf('-', 1)
  const year = Number(text.slice(0, dash))
  const month = Number(text.slice(dash + 1, dash + 3))
  const day = Number(text.slice(dash + 4, dash + 6))
  return daysFromCivil(bc ? 1 - year : year, month, day)
}

/** `13:45:10.123456`, `24:00:00`, `13:45`: µs of the day; where the text ends is `end`. */
export function parseTimeOfDay(text: string, start = 0): { micros: number; end: number } {
  const hours = Number(text.slice(start, start + 2))
  const minutes = Number(text.slice(start + 3, start + 5))
  let at = start + 5
  let seconds = 0
  let fraction = 0
  if (text[at] === ':') {
    seconds = Number(text.slice(at + 1, at + 3))
    at += 3
    if (text[at] === '.') {
      let digits = ''
      at++
      while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) digits += text[at++]
      fraction = Number(digits.slice(0, 6).padEnd(6, '0'))
    }
  }
  return { micros: ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + fraction, end: at }
}

/** `+02`, `-05:30`, `+00:00:30` at `start`: the offset in seconds east of UTC. */
function parseOffset(text: string, start: number): number {
  if (start >= text.length) return 0
  const sign = text[start] === '-' ? -1 : 1
  const parts = text
    .slice(start + 1)
    .split(':')
    .map(Number)
  return sign * (((parts[0] ?? 0) * 60 + (parts[1] ?? 0)) * 60 + (parts[2] ?? 0))
}

export interface Instant {
  /** Days since the epoch (UTC). */
  readonly days: number
  /** µs of that day (UTC). */
  readonly micros: number
}

/** `2024-02-29 23:59:59.5`, `…+00`, `2024-02-29` (midnight), `… BC`: the instant, at UTC. */
export function parseTimestamp(text: string): Instant {
  const bc = text.endsWith(' BC')
  const body = bc ? text.slice(0, -3) : text
  const dash = body.indexOf('-', 1)
  const dateEnd = dash + 6
  const year = Number(body.slice(0, dash))
  let days = daysFromCivil(bc ? 1 - year : year, Number(body.slice(dash + 1, dash + 3)), Number(body.slice(dash + 4, dash + 6)))
  if (body.length <= dateEnd) return { days, micros: 0 }
  const time = parseTimeOfDay(body, dateEnd + 1)
  let micros = time.micros - parseOffset(body, time.end) * 1_000_000
  while (micros < 0) {
    micros += DAY_US
    days--
  }
  while (micros >= DAY_US) {
    micros -= DAY_US
    days++
  }
  return { days, micros }
}

/** µs since the epoch: a number, or a bigint beyond 2^53. */
export function epochMicros(instant: Instant): number | bigint {
  if (Math.abs(instant.days) < MAX_SAFE_DAYS) return instant.days * DAY_US + instant.micros
  return BigInt(instant.days) * BigInt(DAY_US) + BigInt(instant.micros)
}

export function epochNanos(instant: Instant): bigint {
  return (BigInt(instant.days) * BigInt(DAY_US) + BigInt(instant.micros)) * 1000n
}

export function epochMillis(instant: Instant): number {
  return instant.days * 86_400_000 + Math.floor(instant.micros / 1000)
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

/** java.time's ISO_LOCAL_DATE: four-digit years, a sign beyond 9999 and before year 0. */
export function isoDate(days: number): string {
  const { year, month, day } = civilFromDays(days)
  const yearText = year > 9999 ? `+${year}` : year < 0 ? `-${pad(-year, 4)}` : pad(year, 4)
  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}`
}

/**
 * A time of day as java.time writes it: HH:mm:ss, then the fraction with `width` digits, or
 * (width null) as many as it needs with trailing zeros dropped and none when it is zero.
 */
export function isoTime(micros: number, width: number | null): string {
  const seconds = Math.floor(micros / 1_000_000)
  const fraction = micros - seconds * 1_000_000
  let text = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`
  if (width !== null) {
    if (width > 0) text += `.${pad(fraction, 6).padEnd(9, '0').slice(0, width)}`
  } else if (fraction !== 0) {
    text += `.${pad(fraction, 6).replace(/0+$/, '')}`
  }
  return text
}

export interface IntervalParts {
  readonly years: number
  readonly months: number
  readonly days: number
  readonly hours: number
  readonly minutes: number
  /** Whole seconds and µs, with the sign of the time part. */
  readonly seconds: number
  readonly micros: number
}

const ISO_INTERVAL = /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?)(\d+)(?:\.(\d+))?S)?)?$/

/** An interval in ISO 8601 form (`P1Y2M3DT4H5M6.789S`, `P-1Y-2M`, `PT-0.5S`), part by part. */
export function parseInterval(text: string): IntervalParts {
  const match = ISO_INTERVAL.exec(text)
  if (match === null) throw new Error(`"${text}" is not an ISO 8601 interval`)
  const [, years = '0', months = '0', weeks = '0', days = '0', hours = '0', minutes = '0', minus = '', whole = '0', fraction = ''] = match
  const sign = minus === '-' ? -1 : 1
  return {
    years: Number(years),
    months: Number(months),
    days: Number(days) + Number(weeks) * 7,
    hours: Number(hours),
    minutes: Number(minutes),
    seconds: sign * Number(whole),
    micros: sign * Number(fraction.slice(0, 6).padEnd(6, '0')),
  }
}
