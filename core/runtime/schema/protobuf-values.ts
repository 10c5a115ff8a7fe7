/**
 * Connect values to the objects protobufjs encodes, and decoded messages back to Connect values, as
 * Confluent's ProtobufData.fromConnectData / toConnectData convert them. Each converter is built once
 * per schema. proto3 has no null: a null value is left out of the message (as Confluent does), so a
 * null scalar reads back as its default (0, "", false, empty bytes), an empty array as [], and only a
 * null struct, Decimal, Date, Time or Timestamp (message fields) reads back as null. A default scalar
 * is left out too, as Java's proto3 encoder does, so the bytes match Confluent's.
 */
import protobuf from 'protobufjs'
import type { Field, Long, Type } from 'protobufjs'
import {
  DATE,
  DECIMAL,
  TIME,
  TIMESTAMP,
  dateToDays,
  decimalScale,
  decimalText,
  fromTwosComplementBytes,
  timeToMillis,
  twosComplementBytes,
  unscaledOf,
} from './logical.ts'
import { isMapField } from './protobuf-connect-schema.ts'
import type { Schema } from './schema.ts'

type Convert = (value: unknown) => unknown

const DAY_MS = 86_400_000
const { Long: LongClass } = protobuf.util as unknown as { Long: { fromString(text: string, unsigned?: boolean): Long } }

function isLong(value: unknown): value is Long {
  return value !== null && typeof value === 'object' && 'low' in value && 'high' in value
}

/** A Long (or number) as a number when it is safe, as a bigint beyond 2^53. */
export function fromLong(value: unknown): number | bigint {
  if (typeof value === 'number') return value
  if (!isLong(value)) throw new Error(`expected a 64-bit integer, got ${typeof value}`)
  const big = BigInt(value.toString())
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
}

function toLong(value: unknown): number | Long {
  const big =
    typeof value === 'bigint'
      ? value
      : typeof value === 'number' && Number.isInteger(value)
        ? BigInt(value)
        : typeof value === 'string' && /^-?\d+$/.test(value)
          ? BigInt(value)
          : undefined
  if (big === undefined) throw new Error(`${String(value)} is not an int64`)
  if (big < -(2n ** 63n) || big >= 2n ** 63n) throw new Error(`${big} does not fit an int64`)
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(big)
    : LongClass.fromString(big.toString())
}

function int32Of(bits: number): Convert {
  const limit = 2 ** (bits - 1)
  return (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < -limit || value >= limit)
      throw new Error(`${String(value)} is not an int${bits}`)
    return value
  }
}

function asDate(value: unknown, what: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new Error(`a ${what} value must be a Date, got ${String(value)}`)
  return value
}

/** The empty value proto3 leaves out. */
function isDefault(value: unknown): boolean {
  return value === 0 || value === false || value === '' || (Buffer.isBuffer(value) && value.length === 0)
}

/** Connect value → protobufjs value (undefined: leave the field out). */
export function protoWriter(schema: Schema): Convert {
  switch (schema.name) {
    case DECIMAL: {
      const scale = decimalScale(schema)
      return (value) => {
        const unscaled = unscaledOf(value as string | number | bigint, scale)
        const digits = (unscaled < 0n ? -unscaled : unscaled).toString().length
        // BigDecimal's precision (digits of the unscaled value) and scale, as DecimalUtils writes them.
        return { value: twosComplementBytes(unscaled), precision: digits, scale }
      }
    }
    case DATE:
      return (value) => {
        const date = new Date(dateToDays(asDate(value, 'Date')) * DAY_MS)
        return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
      }
    case TIME:
      return (value) => {
        const ms = timeToMillis(asDate(value, 'Time'))
        return {
          hours: Math.floor(ms / 3_600_000),
          minutes: Math.floor(ms / 60_000) % 60,
          seconds: Math.floor(ms / 1000) % 60,
          nanos: (ms % 1000) * 1_000_000,
        }
      }
    case TIMESTAMP:
      return (value) => {
        const ms = asDate(value, 'Timestamp').getTime()
        return { seconds: toLong(Math.floor(ms / 1000)), nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 }
      }
  }
  switch (schema.type) {
    case 'int8':
      return int32Of(8)
    case 'int16':
      return int32Of(16)
    case 'int32':
      return int32Of(32)
    case 'int64':
      return toLong
    case 'float32':
    case 'float64':
      return (value) => {
        if (typeof value !== 'number') throw new Error(`${String(value)} is not a ${schema.type}`)
        return value
      }
    case 'boolean':
      return (value) => {
        if (typeof value !== 'boolean') throw new Error(`${String(value)} is not a boolean`)
        return value
      }
    case 'string':
      return (value) => {
        if (typeof value !== 'string') throw new Error(`${String(value)} is not a string`)
        return value
      }
    case 'bytes':
      return (value) => {
        if (!(value instanceof Uint8Array)) throw new Error('a bytes value must be a Buffer')
        return Buffer.isBuffer(value) ? value : Buffer.from(value)
      }
    case 'array': {
      const item = protoWriter(schema.valueSchema as Schema)
      return (value) => {
        if (!Array.isArray(value)) throw new Error('an array value must be an Array')
        if (value.length === 0) return undefined
        return value.map((element, index) => {
          if (element === null || element === undefined)
            throw new Error(`element ${index} is null, and a repeated Protobuf field cannot hold null`)
          return item(element)
        })
      }
    }
    case 'map': {
      const key = protoWriter(schema.keySchema as Schema)
      const item = protoWriter(schema.valueSchema as Schema)
      const part = (convert: Convert, value: unknown) => (value === null || value === undefined ? undefined : convert(value))
      return (value) => {
        const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>)
        return entries.length === 0 ? undefined : entries.map(([k, v]) => ({ key: part(key, k), value: part(item, v) }))
      }
    }
    case 'struct': {
      const fields = (schema.fields ?? []).map((field) => ({ name: field.name, convert: protoWriter(field.schema) }))
      return (value) => {
        if (value === null || typeof value !== 'object') throw new Error(`a struct value must be an object, got ${String(value)}`)
        const message: Record<string, unknown> = {}
        for (const field of fields) {
          const data = (value as Record<string, unknown>)[field.name]
          if (data === null || data === undefined) continue
          let converted: unknown
          try {
            converted = field.convert(data)
          } catch (error) {
            throw new Error(`${field.name}: ${(error as Error).message}`, { cause: error })
          }
          if (converted !== undefined && !isDefault(converted)) message[field.name] = converted
        }
        return message
      }
    }
  }
}

function asNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(fromLong(value))
}

/** protobufjs value of `field` → Connect value of `schema`. */
function fieldReader(field: Field, schema: Schema): Convert {
  if (isMapField(field)) {
    const keys = elementReader(
      field.map
        ? new protobuf.Field('key', 1, (field as unknown as { keyType: string }).keyType)
        : ((field.resolvedType as Type).fieldsArray[0] as Field),
      schema.keySchema as Schema,
    )
    const values = elementReader(field.map ? field : ((field.resolvedType as Type).fieldsArray[1] as Field), schema.valueSchema as Schema)
    const stringKeys = schema.keySchema?.type === 'string'
    return (value) => {
      const pairs: Array<[unknown, unknown]> = field.map
        ? Object.entries(value as Record<string, unknown>).map(([k, v]) => [keys(k), values(v)])
        : (value as Array<{ key: unknown; value: unknown }>).map((entry) => [keys(entry.key), values(entry.value)])
      return stringKeys ? Object.fromEntries(pairs) : new Map(pairs)
    }
  }
  if (field.repeated) {
    const item = elementReader(field, schema.valueSchema as Schema)
    return (value) => (value as unknown[]).map(item)
  }
  return elementReader(field, schema)
}

/** One value of a field (an element, for a repeated one). */
function elementReader(field: Field, schema: Schema): Convert {
  const type = field.resolvedType
  if (type instanceof protobuf.Enum) return (value) => type.valuesById[value as number] ?? String(value)
  switch (schema.name) {
    case DECIMAL:
      return (value) => {
        const decimal = value as { value?: Uint8Array; scale?: number }
        return decimalText(fromTwosComplementBytes(Buffer.from(decimal.value ?? [])), decimal.scale ?? 0)
      }
    case DATE:
      return (value) => {
        const { year = 0, month = 0, day = 0 } = value as { year?: number; month?: number; day?: number }
        return new Date(Date.UTC(year, month - 1, day))
      }
    case TIME:
      return (value) => {
        const { hours = 0, minutes = 0, seconds = 0, nanos = 0 } = value as Record<string, number | undefined>
        return new Date(((hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0)) * 1000 + Math.floor((nanos ?? 0) / 1_000_000))
      }
    case TIMESTAMP:
      return (value) => {
        const { seconds, nanos } = value as { seconds?: unknown; nanos?: number }
        return new Date(asNumber(seconds ?? 0) * 1000 + Math.floor((nanos ?? 0) / 1_000_000))
      }
  }
  switch (schema.type) {
    case 'int64':
      return (value) => (field.type === 'uint32' || field.type === 'fixed32' ? asNumber(value) : fromLong(value))
    case 'bytes':
      return (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array))
    case 'struct':
      return structReader(type as Type, schema)
    default:
      return (value) => value
  }
}

/** A decoded message → a Connect struct value: every field of the schema, null where a message field is absent. */
export function structReader(type: Type, schema: Schema): Convert {
  const readers = (schema.fields ?? []).map((connectField) => {
    if (connectField.schema.name?.startsWith('io.confluent.connect.protobuf.Union.') === true) {
      const members = (connectField.schema.fields ?? []).map((member) => ({
        name: member.name,
        read: fieldReader(type.fields[member.name] as Field, member.schema),
      }))
      return (message: Record<string, unknown>) => {
        const present = members.find(
          (member) => Object.hasOwn(message, member.name) && message[member.name] !== null && message[member.name] !== undefined,
        )
        if (present === undefined) return null
        return Object.fromEntries(members.map((member) => [member.name, member === present ? member.read(message[member.name]) : null]))
      }
    }
    const field = type.fields[connectField.name] as Field
    const read = fieldReader(field, connectField.schema)
    // Absent, a message field (or a proto3 `optional` one) is null; a scalar takes its default.
    const isNullable = (field.resolvedType instanceof protobuf.Type && !field.repeated && !field.map) || field.partOf !== null
    return (message: Record<string, unknown>) => {
      const value = message[field.name]
      if (value === null || value === undefined) return isNullable ? null : read(field.repeated ? [] : field.map ? {} : field.typeDefault)
      return read(value)
    }
  })
  const names = (schema.fields ?? []).map((field) => field.name)
  return (value) => {
    const message = value as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (let index = 0; index < readers.length; index++)
      out[names[index] as string] = (readers[index] as (m: Record<string, unknown>) => unknown)(message)
    return out
  }
}
