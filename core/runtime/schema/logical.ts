/**
 * Kafka Connect's logical types: Decimal (bytes of the unscaled two's-complement integer, with its
 * scale as a parameter), Date (int32 days since the epoch), Time (int32 ms of the day) and Timestamp
 * (int64 ms since the epoch). In JavaScript a Decimal is the exact decimal text, the others a Date;
 * the helpers here turn them into what a converter writes and back.
 */
import { Schemas, type Schema, type SchemaOptions } from './schema.ts'

export const DECIMAL = 'org.apache.kafka.connect.data.Decimal'
export const DATE = 'org.apache.kafka.connect.data.Date'
export const TIME = 'org.apache.kafka.connect.data.Time'
export const TIMESTAMP = 'org.apache.kafka.connect.data.Timestamp'
/** The precision Debezium adds beside a Decimal's scale. */
export const DECIMAL_PRECISION = 'connect.decimal.precision'

type Options = Omit<SchemaOptions, 'name' | 'version'>

export const Logical = {
  /** `precision` adds Debezium's `connect.decimal.precision` parameter after the scale. */
  decimal(scale: number, precision?: number, options: Options = {}): Schema {
    const parameters: Record<string, string> = { scale: String(scale) }
    if (precision !== undefined) parameters[DECIMAL_PRECISION] = String(precision)
    return Schemas.bytes({ ...options, name: DECIMAL, version: 1, parameters: { ...parameters, ...options.parameters } })
  },
  date: (options: Options = {}) => Schemas.int32({ ...options, name: DATE, version: 1 }),
  time: (options: Options = {}) => Schemas.int32({ ...options, name: TIME, version: 1 }),
  timestamp: (options: Options = {}) => Schemas.int64({ ...options, name: TIMESTAMP, version: 1 }),
} as const

const DAY_MS = 86_400_000

/** A Decimal schema's scale. */
export function decimalScale(schema: Schema): number {
  const scale = Number(schema.parameters?.scale)
  if (!Number.isInteger(scale)) throw new Error(`Decimal schema ${schema.name ?? ''} has no integer scale parameter`)
  return scale
}

/** The unscaled integer of a decimal at `scale`; throws when the value has more non-zero fraction digits than the scale keeps. */
export function unscaledOf(value: string | number | bigint, scale: number): bigint {
  if (typeof value === 'bigint') return value * 10n ** BigInt(Math.max(scale, 0))
  const text = typeof value === 'number' ? numberText(value) : value.trim()
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`"${text}" is not a decimal number`)
  const [, sign, whole = '', fraction = '', exponent = '0'] = match
  // digits × 10^(exp - fraction.length), rescaled to `scale`.
  const digits = BigInt(`${whole}${fraction}` || '0')
  const shift = Number(exponent) - fraction.length + scale
  let unscaled: bigint
  if (shift >= 0) unscaled = digits * 10n ** BigInt(shift)
  else {
    const divisor = 10n ** BigInt(-shift)
    if (digits % divisor !== 0n) throw new Error(`${text} has more fraction digits than the scale ${scale} keeps`)
    unscaled = digits / divisor
  }
  return sign === '-' ? -unscaled : unscaled
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} cannot be a Decimal`)
  return String(value)
}

/** The exact decimal text of `unscaled` × 10^-scale, as Java's BigDecimal.toPlainString writes it. */
export function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n
  let digits = (negative ? -unscaled : unscaled).toString()
  if (scale <= 0) return `${negative ? '-' : ''}${digits}${'0'.repeat(-scale)}`
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`
}

/** Java's BigInteger.toByteArray: big-endian two's complement in the fewest bytes that keep the sign. */
export function twosComplementBytes(value: bigint): Buffer {
  let hex = (value < 0n ? -value - 1n : value).toString(16)
  if (hex.length % 2 === 1) hex = `0${hex}`
  let bytes = Buffer.from(hex, 'hex')
  if (bytes.length === 0 || (bytes[0] as number) >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes])
  if (value < 0n) for (let i = 0; i < bytes.length; i++) bytes[i] = ~(bytes[i] as number) & 0xff
  return bytes
}

export function fromTwosComplementBytes(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n
  const magnitude = BigInt(`0x${bytes.toString('hex')}`)
  return ((bytes[0] as number) & 0x80) === 0 ? magnitude : magnitude - (1n << BigInt(bytes.length * 8))
}

export function decimalToBytes(value: string | number | bigint, scale: number): Buffer {
  return twosComplementBytes(unscaledOf(value, scale))
}

const SIX_BYTES = 2 ** 47
/** Char codes of the base64 alphabet. */
const BASE64 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((char) => char.charCodeAt(0))
const PAD = 61 // '='
/** The bound of a signed integer of 1 … 6 bytes. */
const LIMITS = [2 ** 7, 2 ** 15, 2 ** 23, 2 ** 31, 2 ** 39, 2 ** 47]
/** The bytes being encoded: one array, reused. */
const scratch = [0, 0, 0, 0, 0, 0]

/** Base64 of the big-endian two's complement of `value` in the fewest bytes (at most six), without a Buffer. */
function smallBase64(value: number): string {
  let size = 1
  while (value >= (LIMITS[size - 1] as number) || value < -(LIMITS[size - 1] as number)) size++
  let rest = value < 0 ? value + 2 ** (8 * size) : value
  for (let index = size - 1; index >= 0; index--) {
    scratch[index] = rest % 256
    rest = (rest - (scratch[index] as number)) / 256
  }
  const codes: number[] = []
  for (let index = 0; index < size; index += 3) {
    const a = scratch[index] as number
    const b = index + 1 < size ? (scratch[index + 1] as number) : -1
    const c = index + 2 < size ? (scratch[index + 2] as number) : -1
    codes.push(
      BASE64[a >> 2] as number,
      BASE64[((a & 3) << 4) | (b < 0 ? 0 : b >> 4)] as number,
      b < 0 ? PAD : (BASE64[((b & 15) << 2) | (c < 0 ? 0 : c >> 6)] as number),
      c < 0 ? PAD : (BASE64[c & 63] as number),
    )
  }
  return String.fromCharCode(...codes)
}

/**
 * The unscaled value of plain decimal text (`-12.34`) at `scale`, read digit by digit, when it has
 * at most 15 digits, no more fraction digits than the scale, and fits six bytes; NaN otherwise.
 */
function smallUnscaled(text: string, scale: number): number {
  const length = text.length
  let at = length > 0 && text.charCodeAt(0) === 45 ? 1 : 0
  const negative = at === 1
  let unscaled = 0
  let digits = 0
  let fraction = -1
  for (; at < length; at++) {
    const code = text.charCodeAt(at)
    if (code >= 48 && code <= 57) {
      unscaled = unscaled * 10 + (code - 48)
      digits++
      if (fraction >= 0) fraction++
    } else if (code === 46 && fraction < 0) {
      fraction = 0
    } else {
      return Number.NaN
    }
  }
  if (digits === 0 || digits > 15 || scale > 15) return Number.NaN
  const shift = scale - Math.max(fraction, 0)
  if (shift < 0) return Number.NaN
  const value = unscaled * 10 ** shift
  if (value >= SIX_BYTES) return Number.NaN
  return negative && value !== 0 ? -value : value
}

/**
 * The base64 of a Decimal's bytes, as JsonConverter writes it. Text whose unscaled value fits six
 * bytes (every price and quantity) is done in plain numbers: no BigInt, no regex, no Buffer.
 */
export function decimalBase64(value: string | number | bigint, scale: number): string {
  if (typeof value === 'string') {
    const unscaled = smallUnscaled(value, scale)
    if (!Number.isNaN(unscaled)) return smallBase64(unscaled)
  }
  return decimalToBytes(value, scale).toString('base64')
}

export function decimalFromBytes(bytes: Buffer, scale: number): string {
  return decimalText(fromTwosComplementBytes(bytes), scale)
}

/** Date: whole days since the epoch (Connect refuses a Date with a time of day; so does this). */
export function dateToDays(value: Date): number {
  const ms = value.getTime()
  if (ms % DAY_MS !== 0) throw new Error(`a Date value must be midnight UTC, got ${value.toISOString()}`)
  return ms / DAY_MS
}

/** Time: ms of the day (Connect refuses a Time outside the first day of the epoch). */
export function timeToMillis(value: Date): number {
  const ms = value.getTime()
  if (ms < 0 || ms >= DAY_MS) throw new Error(`a Time value must lie within 1970-01-01, got ${value.toISOString()}`)
  return ms
}

export const daysToDate = (days: number): Date => new Date(days * DAY_MS)
export const millisToDate = (ms: number): Date => new Date(ms)
