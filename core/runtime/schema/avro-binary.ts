/**
 * Confluent's AvroConverter, its data half: Connect data (schema.ts) as Avro binary and back, on avsc.
 * avsc writes and reads the bytes; the functions here, compiled once per schema beside avsc's type,
 * turn Connect's JavaScript values into avsc's (a Decimal's text into its two's-complement bytes, a
 * Date into days or ms, a map with other than string keys into AvroData's key/value records, a Connect
 * union into the branch it holds) and back, and say which field a value that does not fit is in.
 * A union of null and one type is avsc's unwrapped union (the value itself or null); any other union
 * is wrapped (`{ branch: value }`), so the branch is never guessed. Every long is avro-long.ts's.
 */
import avro, { type Schema as AvscSchema, type Type as AvscType, type types } from 'avsc'
import { SchemaValueError } from './connect-json-payload.ts'
import {
  DATE,
  DECIMAL,
  TIME,
  TIMESTAMP,
  dateToDays,
  daysToDate,
  decimalFromBytes,
  decimalScale,
  decimalToBytes,
  millisToDate,
  timeToMillis,
  twosComplementBytes,
  unscaledOf,
} from './logical.ts'
import type { Schema } from './schema.ts'
import { avroSchemaOf, type AvroSchemaJson } from './avro-data.ts'
import { FIXED_SIZE, isUnionSchema } from './avro-names.ts'
import { connectSchemaOf } from './avro-connect-schema.ts'
import { isLong, longType } from './avro-long.ts'

type Convert = (value: unknown) => unknown
/** Returned by a compile for a part whose value passes unchanged. */
const SAME = undefined

const isNullType = (schema: unknown): boolean =>
  schema === 'null' || (schema !== null && typeof schema === 'object' && (schema as { type?: unknown }).type === 'null')

function typeHook(schema: unknown, opts: unknown): AvscType | undefined {
  if (schema === 'long' || (schema !== null && typeof schema === 'object' && (schema as { type?: unknown }).type === 'long'))
    return longType
  if (Array.isArray(schema) && !(schema.length === 2 && schema.some(isNullType))) return new avro.types.WrappedUnionType(schema, opts)
  return undefined
}

/** avsc's type for an Avro schema, with the long and the unions described above. */
export function avscTypeOf(schema: AvroSchemaJson): AvscType {
  return avro.Type.forSchema(schema as AvscSchema, { typeHook: typeHook as never, registry: {} })
}

const writers = new WeakMap<Schema, (value: unknown) => Buffer>()
const valueReaders = new WeakMap<Schema, (bytes: Buffer) => unknown>()

/** Writes a value of `schema` as the Avro binary of avroSchemaOf(schema); throws SchemaValueError naming the field that does not fit. */
export function avroWriter(schema: Schema): (value: unknown) => Buffer {
  let writer = writers.get(schema)
  if (writer === undefined) {
    const type = avscTypeOf(avroSchemaOf(schema))
    const prepare = nullable(schema, type)
    writer = (value) => type.toBuffer(prepare(value))
    writers.set(schema, writer)
  }
  return writer
}

/** Reads what avroWriter(schema) wrote. */
export function avroValueReader(schema: Schema): (bytes: Buffer) => unknown {
  let reader = valueReaders.get(schema)
  if (reader === undefined) {
    const type = avscTypeOf(avroSchemaOf(schema))
    const finish = finisher(schema, type) ?? ((value: unknown) => value)
    reader = (bytes) => finish(type.fromBuffer(bytes))
    valueReaders.set(schema, reader)
  }
  return reader
}

/**
 * Reads bytes written with the Avro schema `writerAvro` (from the registry, say) as data of
 * `readerSchema`, resolving one against the other as Avro does; without a reader schema, as data of
 * connectSchemaOf(writerAvro). Build it once per writer schema: it compiles.
 */
export function avroReader(writerAvro: AvroSchemaJson, readerSchema?: Schema): (bytes: Buffer) => unknown {
  const writerType = avscTypeOf(writerAvro)
  if (readerSchema === undefined) {
    const finish = finisher(connectSchemaOf(writerAvro), writerType) ?? ((value: unknown) => value)
    return (bytes) => finish(writerType.fromBuffer(bytes))
  }
  const readerType = avscTypeOf(avroSchemaOf(readerSchema))
  const resolver = readerType.createResolver(writerType)
  const finish = finisher(readerSchema, readerType) ?? ((value: unknown) => value)
  return (bytes) => finish(readerType.fromBuffer(bytes, resolver))
}

// ---- Connect value → avsc value ----

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (Buffer.isBuffer(value)) return 'a Buffer'
  if (value instanceof Date) return 'a Date'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value).slice(0, 40)}`
}

function mismatch(schema: Schema, value: unknown): never {
  throw new SchemaValueError('', `${describe(value)} does not fit schema ${schema.name ?? schema.type}`)
}

/** Runs `convert` on a part, naming the part in what it throws. */
function within(part: string, convert: Convert, value: unknown): unknown {
  try {
    return convert(value)
  } catch (error) {
    if (!(error instanceof SchemaValueError)) throw new SchemaValueError(part, (error as Error).message)
    const path = error.path === '' ? part : `${part}.${error.path}`.replace('.[', '[')
    throw new SchemaValueError(path, error.message.slice(error.path === '' ? 0 : error.path.length + 2))
  }
}

/** The non-null branch of avsc's unwrapped union for an optional schema, or the type itself. */
function inner(schema: Schema, type: AvscType): AvscType {
  if (!schema.optional || isUnionSchema(schema)) return type
  return (type as types.UnwrappedUnionType).types.find((branch) => branch.typeName !== 'null') as AvscType
}

/** Null or absent becomes the default, null when optional, an error when required. */
function nullable(schema: Schema, type: AvscType): Convert {
  const convert = preparer(schema, inner(schema, type)) ?? ((value: unknown) => value)
  const fallback = schema.defaultValue
  const whenNull = fallback !== undefined && fallback !== null ? convert(fallback) : null
  const refuse = whenNull === null && !schema.optional
  return (value) => {
    if (value === null || value === undefined) {
      if (refuse) throw new SchemaValueError('', `null for a required ${schema.name ?? schema.type} with no default`)
      return whenNull
    }
    return convert(value)
  }
}

const INT_RANGES = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 } as const

function logicalPreparer(schema: Schema): Convert | undefined {
  switch (schema.name) {
    case DECIMAL: {
      const scale = decimalScale(schema)
      const size = schema.parameters?.[FIXED_SIZE] === undefined ? 0 : Number(schema.parameters[FIXED_SIZE])
      return (value) => {
        if (Buffer.isBuffer(value)) return value
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') return mismatch(schema, value)
        return size === 0 ? decimalToBytes(value, scale) : padded(unscaledOf(value, scale), size)
      }
    }
    case DATE:
      return schema.type === 'int32'
        ? (value) => (value instanceof Date ? dateToDays(value) : Number.isInteger(value) ? value : mismatch(schema, value))
        : undefined
    case TIME:
      return schema.type === 'int32'
        ? (value) => (value instanceof Date ? timeToMillis(value) : Number.isInteger(value) ? value : mismatch(schema, value))
        : undefined
    case TIMESTAMP:
      return schema.type === 'int64'
        ? (value) => (value instanceof Date ? value.getTime() : isLong(value) ? value : mismatch(schema, value))
        : undefined
    default:
      return undefined
  }
}

/** The unscaled value in exactly `size` bytes, sign-extended, for a Decimal written as a fixed. */
function padded(unscaled: bigint, size: number): Buffer {
  const bytes = twosComplementBytes(unscaled)
  if (bytes.length > size) throw new SchemaValueError('', `the decimal needs ${bytes.length} bytes, more than the fixed size ${size}`)
  return Buffer.concat([Buffer.alloc(size - bytes.length, unscaled < 0n ? 0xff : 0), bytes])
}

function preparer(schema: Schema, type: AvscType): Convert | undefined {
  const logical = logicalPreparer(schema)
  if (logical !== undefined) return logical
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const bound = INT_RANGES[schema.type]
      return (value) =>
        Number.isInteger(value) && (value as number) >= -bound && (value as number) < bound ? value : mismatch(schema, value)
    }
    case 'int64':
      return (value) => (isLong(value) ? value : mismatch(schema, value))
    case 'float32':
    case 'float64':
      return (value) => (typeof value === 'number' ? value : mismatch(schema, value))
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? value : mismatch(schema, value))
    case 'string':
      return (value) => (typeof value === 'string' ? value : mismatch(schema, value))
    case 'bytes': {
      const size = schema.parameters?.[FIXED_SIZE] === undefined ? -1 : Number(schema.parameters[FIXED_SIZE])
      return (value) => {
        const bytes = Buffer.isBuffer(value) ? value : value instanceof Uint8Array ? Buffer.from(value) : mismatch(schema, value)
        return size < 0 || bytes.length === size ? bytes : mismatch(schema, value)
      }
    }
    case 'array': {
      const items = nullable(schema.valueSchema as Schema, (type as types.ArrayType).itemsType)
      return (value) => {
        if (!Array.isArray(value)) return mismatch(schema, value)
        const out = new Array<unknown>(value.length)
        for (let index = 0; index < value.length; index++) out[index] = within(`[${index}]`, items, value[index])
        return out
      }
    }
    case 'map':
      return mapPreparer(schema, type)
    case 'struct':
      return isUnionSchema(schema) ? unionPreparer(schema, type) : structPreparer(schema, type as types.RecordType)
  }
}

function entriesOf(value: unknown): Array<[unknown, unknown]> | undefined {
  if (value instanceof Map) return [...value.entries()]
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)) return Object.entries(value)
  return undefined
}

function mapPreparer(schema: Schema, type: AvscType): Convert {
  const keySchema = schema.keySchema as Schema
  const valueSchema = schema.valueSchema as Schema
  if (type.typeName === 'map') {
    const values = nullable(valueSchema, (type as types.MapType).valuesType as AvscType)
    return (value) => {
      const entries = entriesOf(value)
      if (entries === undefined) return mismatch(schema, value)
      const out: Record<string, unknown> = {}
      for (const [key, item] of entries) {
        if (typeof key !== 'string') return mismatch(schema, key)
        out[key] = within(key, values, item)
      }
      return out
    }
  }
  const entry = (type as types.ArrayType).itemsType as types.RecordType
  const keys = nullable(keySchema, entry.field('key').type)
  const values = nullable(valueSchema, entry.field('value').type)
  return (value) => {
    const entries = entriesOf(value)
    if (entries === undefined) return mismatch(schema, value)
    return entries.map(([key, item], index) => ({
      key: within(`[${index}].key`, keys, key),
      value: within(`[${index}].value`, values, item),
    }))
  }
}

/** A Connect union (a struct of optional branches, one set) as avsc's wrapped `{ branch: value }`. */
function unionPreparer(schema: Schema, type: AvscType): Convert {
  const branches = (type as types.WrappedUnionType).types.filter((branch) => branch.typeName !== 'null')
  const fields = (schema.fields ?? []).map((field, index) => {
    const branch = branches[index] as AvscType
    return { name: field.name, branch: branch.branchName as string, convert: preparer(field.schema, branch) ?? ((value: unknown) => value) }
  })
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return mismatch(schema, value)
    for (const field of fields) {
      const item = (value as Record<string, unknown>)[field.name]
      if (item !== null && item !== undefined) return { [field.branch]: within(field.name, field.convert, item) }
    }
    return schema.optional ? null : mismatch(schema, value)
  }
}

/** A struct as an avsc record: the same object when every field passes unchanged, a copy otherwise. */
function structPreparer(schema: Schema, type: types.RecordType): Convert {
  const fields = (schema.fields ?? []).map((field) => ({ name: field.name, convert: nullable(field.schema, type.field(field.name).type) }))
  return (value) => {
    if (
      value === null ||
      typeof value !== 'object' ||
      Array.isArray(value) ||
      Buffer.isBuffer(value) ||
      value instanceof Date ||
      value instanceof Map
    )
      return mismatch(schema, value)
    const struct = value as Record<string, unknown>
    let out: Record<string, unknown> | undefined
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index] as (typeof fields)[number]
      const item = struct[field.name]
      const prepared = within(field.name, field.convert, item)
      if (out === undefined && prepared !== item) {
        out = {}
        for (let before = 0; before < index; before++) {
          const name = (fields[before] as (typeof fields)[number]).name
          out[name] = struct[name]
        }
      }
      if (out !== undefined) out[field.name] = prepared
    }
    return out ?? struct
  }
}

// ---- avsc value → Connect value ----

/** How to turn what avsc read into Connect data; SAME where it already is. */
function finisher(schema: Schema, type: AvscType): Convert | undefined {
  if (!schema.optional || isUnionSchema(schema)) return valueFinisher(schema, type)
  const convert = valueFinisher(schema, inner(schema, type))
  return convert === SAME ? SAME : (value) => (value === null ? null : convert(value))
}

function valueFinisher(schema: Schema, type: AvscType): Convert | undefined {
  switch (schema.name) {
    case DECIMAL: {
      const scale = decimalScale(schema)
      return (value) => decimalFromBytes(value as Buffer, scale)
    }
    case DATE:
      if (schema.type === 'int32') return (value) => daysToDate(value as number)
      break
    case TIME:
      if (schema.type === 'int32') return (value) => millisToDate(value as number)
      break
    case TIMESTAMP:
      if (schema.type === 'int64') return (value) => millisToDate(Number(value))
      break
    default:
      break
  }
  switch (schema.type) {
    case 'array': {
      const items = finisher(schema.valueSchema as Schema, (type as types.ArrayType).itemsType)
      return items === SAME ? SAME : (value) => (value as unknown[]).map(items)
    }
    case 'map': {
      if (type.typeName === 'map') {
        const values = finisher(schema.valueSchema as Schema, (type as types.MapType).valuesType as AvscType)
        if (values === SAME) return SAME
        return (value) => {
          const out: Record<string, unknown> = {}
          for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[key] = values(item)
          return out
        }
      }
      const entry = (type as types.ArrayType).itemsType as types.RecordType
      const keys = finisher(schema.keySchema as Schema, entry.field('key').type) ?? ((value: unknown) => value)
      const values = finisher(schema.valueSchema as Schema, entry.field('value').type) ?? ((value: unknown) => value)
      return (value) => new Map((value as Array<{ key: unknown; value: unknown }>).map((pair) => [keys(pair.key), values(pair.value)]))
    }
    case 'struct': {
      if (isUnionSchema(schema)) return unionFinisher(schema, type)
      const record = type as types.RecordType
      const fields = (schema.fields ?? []).map((field) => ({
        name: field.name,
        convert: finisher(field.schema, record.field(field.name).type),
      }))
      return (value) => {
        const source = value as Record<string, unknown>
        const out: Record<string, unknown> = {}
        for (const field of fields) out[field.name] = field.convert === SAME ? source[field.name] : field.convert(source[field.name])
        return out
      }
    }
    default:
      return SAME
  }
}

function unionFinisher(schema: Schema, type: AvscType): Convert {
  const branches = (type as types.WrappedUnionType).types.filter((branch) => branch.typeName !== 'null')
  const fields = (schema.fields ?? []).map((field, index) => {
    const branch = branches[index] as AvscType
    return {
      name: field.name,
      branch: branch.branchName as string,
      convert: valueFinisher(field.schema, branch) ?? ((value: unknown) => value),
    }
  })
  return (value) => {
    if (value === null) return null
    const wrapped = value as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const field of fields) out[field.name] = field.branch in wrapped ? field.convert(wrapped[field.branch]) : null
    return out
  }
}
