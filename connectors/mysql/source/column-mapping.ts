/**
 * How a MySQL/MariaDB column maps to a Kafka Connect schema, and how a value as the drivers deliver
 * it (mysql2 for the snapshot, zongji for the binlog: numbers or exact strings, the server's text for
 * DECIMAL and temporals, Buffers for BIT and binary types) becomes that schema's value, as Debezium's
 * MySQL and MariaDB connectors map them under its handling modes. A column of a type Debezium has no
 * mapping for (spatial types, say) is left out (undefined).
 */
import { Debezium, Logical, Schemas, type Schema } from '../../../core/runtime/plugin.ts'
import type { ColumnDefinition } from '../shared/column-definition.ts'
import type { SchemaSettings } from './schema-settings.ts'
import { connectTime, epochDays, epochMicros, epochMillis, timeMicros, zonedTimestamp } from './temporal-values.ts'

/** A non-null value → the schema's value; undefined: a zero date (or a TIME Connect cannot hold). */
export type Read = (raw: unknown, streamed: boolean) => unknown

export interface ColumnMapping {
  /** Required and without a default: the field adds those. */
  readonly schema: Schema
  readonly read: Read
  /** What a zero date becomes in a NOT NULL column: the epoch, as Debezium writes it. */
  readonly zero: unknown
}

const TWO_63 = 2n ** 63n
const TWO_64 = 2n ** 64n

/** An int64 value: a number within 2^53, else a bigint. */
function int64(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value
}

const readSmall: Read = (raw) => Number(raw)
const readLong: Read = (raw) => (typeof raw === 'number' ? raw : int64(BigInt(String(raw))))
/** BIGINT UNSIGNED as an int64: beyond 2^63 - 1 it wraps to negative, as Java's long does in Debezium. */
const readUnsignedLong: Read = (raw) => {
  if (typeof raw === 'number' && raw <= Number.MAX_SAFE_INTEGER) return raw
  const value = BigInt(String(raw))
  return int64(value >= TWO_63 ? value - TWO_64 : value)
}
/** BIGINT UNSIGNED as a Decimal of scale 0: its exact text (a wrapped negative unwrapped). */
const readUnsignedDecimal: Read = (raw) => {
  const value = BigInt(String(raw))
  return String(value < 0n ? value + TWO_64 : value)
}
const readText: Read = (raw) => (Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw))
const readJson: Read = (raw) => (typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : JSON.stringify(raw))
const asBuffer = (raw: unknown): Buffer => (Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), 'utf8'))

const BINARY: Readonly<Record<SchemaSettings['binaryMode'], (bytes: Buffer) => unknown>> = {
  bytes: (bytes) => bytes,
  base64: (bytes) => bytes.toString('base64'),
  'base64-url-safe': (bytes) => bytes.toString('base64url').padEnd(Math.ceil(bytes.length / 3) * 4, '='),
  hex: (bytes) => bytes.toString('hex'),
}

/** BIT(n) bytes as the server sends them (big-endian) → Debezium's Bits (little-endian, whole bytes). */
function readBits(raw: unknown, length: number): Buffer {
  const size = Math.ceil(length / 8)
  const bytes = Buffer.alloc(size)
  const source = Buffer.isBuffer(raw)
    ? raw
    : Buffer.from(
        BigInt(String(raw))
          .toString(16)
          .padStart(size * 2, '0'),
        'hex',
      )
  for (let index = 0; index < size; index++) bytes[index] = source[source.length - 1 - index] ?? 0
  return bytes
}

const isSet = (raw: unknown): boolean => (Buffer.isBuffer(raw) ? raw.some((byte) => byte !== 0) : Number(raw) !== 0)

/** A DECIMAL's text at the column's scale, as Java's BigDecimal.toPlainString writes it. */
function atScale(text: string, scale: number): string {
  // The drivers' text mostly has the column's scale already.
  const dot = text.indexOf('.')
  if (dot < 0 ? scale === 0 : text.length - dot - 1 === scale) return text
  const [whole = '0', fraction = ''] = text.split('.')
  if (scale === 0) return whole
  return `${whole}.${fraction.padEnd(scale, '0').slice(0, scale)}`
}

function decimal(definition: ColumnDefinition, settings: SchemaSettings): ColumnMapping {
  const scale = definition.scale ?? 0
  switch (settings.decimalMode) {
    case 'double':
      return { schema: Schemas.float64(), read: (raw) => Number(raw), zero: 0 }
    case 'string':
      return { schema: Schemas.string(), read: (raw) => atScale(String(raw), scale), zero: atScale('0', scale) }
    case 'precise':
      return { schema: Logical.decimal(scale, definition.length ?? undefined), read: (raw) => String(raw), zero: '0' }
  }
}

function integer(definition: ColumnDefinition, settings: SchemaSettings): ColumnMapping {
  const { dataType, unsigned } = definition
  if (dataType === 'tinyint' || (dataType === 'smallint' && !unsigned)) return { schema: Schemas.int16(), read: readSmall, zero: 0 }
  if (dataType === 'smallint' || dataType === 'mediumint' || (!unsigned && dataType !== 'bigint'))
    return { schema: Schemas.int32(), read: readSmall, zero: 0 }
  if (dataType !== 'bigint' || !unsigned) return { schema: Schemas.int64(), read: readLong, zero: 0 }
  return settings.bigintUnsignedMode === 'precise'
    ? { schema: Logical.decimal(0, 20), read: readUnsignedDecimal, zero: '0' }
    : { schema: Schemas.int64(), read: readUnsignedLong, zero: 0 }
}

function temporal(definition: ColumnDefinition, settings: SchemaSettings): ColumnMapping {
  const connect = settings.timePrecisionMode === 'connect'
  const text = (raw: unknown) => String(raw)
  switch (definition.dataType) {
    case 'date':
      return connect
        ? {
            schema: Logical.date(),
            read: (raw) => {
              const days = epochDays(text(raw))
              return days === undefined ? undefined : new Date(days * 86_400_000)
            },
            zero: new Date(0),
          }
        : { schema: Debezium.date, read: (raw) => epochDays(text(raw)), zero: 0 }
    case 'time':
      return connect
        ? { schema: Logical.time(), read: (raw) => connectTime(text(raw)), zero: new Date(0) }
        : { schema: Debezium.microTime, read: (raw) => timeMicros(text(raw)), zero: 0 }
    case 'datetime':
      if (connect)
        return {
          schema: Logical.timestamp(),
          read: (raw) => {
            const ms = epochMillis(text(raw))
            return ms === undefined ? undefined : new Date(ms)
          },
          zero: new Date(0),
        }
      return definition.fsp <= 3
        ? { schema: Debezium.timestamp, read: (raw) => epochMillis(text(raw)), zero: 0 }
        : { schema: Debezium.microTimestamp, read: (raw) => epochMicros(text(raw)), zero: 0 }
    default: // timestamp
      return {
        schema: Debezium.zonedTimestamp,
        read: (raw, streamed) => zonedTimestamp(text(raw), definition.fsp, streamed),
        zero: '1970-01-01T00:00:00Z',
      }
  }
}

export function columnMapping(definition: ColumnDefinition, settings: SchemaSettings): ColumnMapping | undefined {
  switch (definition.dataType) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'integer':
    case 'bigint':
      return integer(definition, settings)
    case 'decimal':
    case 'numeric':
      return decimal(definition, settings)
    case 'float':
      // The float32 itself: a query gives its shortest text, the binlog its four bytes.
      return { schema: Schemas.float32(), read: (raw) => Math.fround(Number(raw)), zero: 0 }
    case 'double':
    case 'real':
      return { schema: Schemas.float64(), read: (raw) => Number(raw), zero: 0 }
    case 'bit': {
      const length = definition.length ?? 1
      return length === 1
        ? { schema: Schemas.boolean(), read: isSet, zero: false }
        : { schema: Debezium.bits(length), read: (raw) => readBits(raw, length), zero: Buffer.alloc(0) }
    }
    case 'char':
    case 'varchar':
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      // MariaDB's JSON is LONGTEXT to Debezium's MariaDB connector too: a plain string.
      return { schema: Schemas.string(), read: readText, zero: '' }
    case 'json':
      return { schema: Debezium.json, read: readJson, zero: '{}' }
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob': {
      const encode = BINARY[settings.binaryMode]
      return {
        schema: settings.binaryMode === 'bytes' ? Schemas.bytes() : Schemas.string(),
        read: (raw) => encode(asBuffer(raw)),
        zero: encode(Buffer.alloc(0)),
      }
    }
    case 'enum':
      return { schema: Debezium.enum(definition.allowed), read: readText, zero: '' }
    case 'set':
      return { schema: Debezium.enumSet(definition.allowed), read: readText, zero: '' }
    case 'date':
    case 'time':
    case 'datetime':
    case 'timestamp':
      return temporal(definition, settings)
    case 'year':
      return { schema: Debezium.year, read: (raw) => Number(raw), zero: 0 }
    default:
      return undefined
  }
}
