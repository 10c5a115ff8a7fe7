/**
 * How a PostgreSQL column maps to a Kafka Connect schema and how its text becomes that schema's
 * value, as Debezium's PostgresValueConverter (over its JdbcValueConverters) maps it, by the
 * column's native type, length and scale and the connector's handling modes. A column Debezium
 * cannot map is left out (undefined), unless `include.unknown.datatypes` keeps its text as bytes.
 */
import { createHash } from 'node:crypto'
import { Debezium, Logical, Schemas, asOptional, type Schema } from '../../../core/runtime/plugin.ts'
import {
  SPECIAL_DECIMALS,
  atScale,
  isSpecialDecimal,
  dateReader,
  moneyDecimal,
  pointWkb,
  readBit,
  readBits,
  readBoolean,
  readBytes,
  readFloat,
  readInteger,
  readIsoInterval,
  readLong,
  readMicroDuration,
  readPoint,
  readText,
  readVariableScaleDecimal,
  readZonedTime,
  timeReader,
  timestampReader,
  zonedTimestampReader,
  type Reader,
} from './column-readers.ts'
import { hstoreReader } from './hstore-values.ts'
import { parsePgArray } from '../shared/pg-array.ts'
import { ARRAY_ELEMENTS, Oid, arrayElement, type TypeLookup } from './pg-types.ts'
import type { SchemaSettings } from './schema-settings.ts'
import type { SourceColumn } from './source-columns.ts'

export interface ColumnMapping {
  /** The schema, required and without a default: the field adds those. */
  readonly schema: Schema
  readonly read: Reader
  /** What Debezium puts for a NULL in a NOT NULL column (a key-only old row leaves the others NULL). */
  readonly fallback: unknown
  /** What stands for an unchanged TOASTed value the server did not send. */
  readonly unchanged: unknown
}

/** Arrays Debezium maps element by element; the other built-in ones (money[], interval[], …) it leaves out. */
const MAPPED_ARRAYS = new Set([
  1005, 1007, 1016, 1028, 1002, 1015, 1009, 1014, 1041, 651, 1040, 775, 3909, 3911, 3913, 3905, 3907, 3927, 1231, 1021, 1022, 1000, 1182,
  2951, 3807, 199, 1183, 1270, 1115, 1185, 1001,
])

const VARIABLE_SCALE_LENGTH = 131_089

interface Context {
  readonly column: SourceColumn
  readonly types: TypeLookup
  readonly settings: SchemaSettings
}

function binary(settings: SchemaSettings, fromText: (text: string) => Buffer): { schema: Schema; read: Reader; fallback: unknown } {
  switch (settings.binaryMode) {
    case 'bytes':
      return { schema: Schemas.bytes(), read: fromText, fallback: Buffer.alloc(0) }
    case 'base64':
      return { schema: Schemas.string(), read: (text) => fromText(text).toString('base64'), fallback: '' }
    case 'base64-url-safe':
      return {
        schema: Schemas.string(),
        read: (text) => fromText(text).toString('base64').replaceAll('+', '-').replaceAll('/', '_'),
        fallback: '',
      }
    case 'hex':
      return { schema: Schemas.string(), read: (text) => fromText(text).toString('hex'), fallback: '' }
  }
}

function numeric({ column, settings }: Context): Omit<ColumnMapping, 'unchanged'> {
  const scale = column.scale ?? 0
  const variable = (column.length === 0 || column.length === VARIABLE_SCALE_LENGTH) && scale === 0
  switch (settings.decimalMode) {
    case 'double':
      return { schema: Schemas.float64(), read: (text) => (isSpecialDecimal(text) ? SPECIAL_DECIMALS[text]?.double : +text), fallback: 0 }
    case 'string':
      return {
        schema: Schemas.string(),
        read: (text) => (isSpecialDecimal(text) ? SPECIAL_DECIMALS[text]?.string : text),
        fallback: atScale('0', scale),
      }
    case 'precise':
      if (variable)
        return { schema: Debezium.variableScaleDecimal, read: readVariableScaleDecimal, fallback: { scale: 0, value: Buffer.from([0]) } }
      // NaN and ±Infinity have no Decimal: Debezium logs a warning and leaves the value null.
      return { schema: Logical.decimal(scale, column.length), read: (text) => (isSpecialDecimal(text) ? null : text), fallback: '0' }
  }
}

function money({ settings }: Context): Omit<ColumnMapping, 'unchanged'> {
  const digits = settings.moneyFractionDigits
  switch (settings.decimalMode) {
    case 'double':
      return { schema: Schemas.float64(), read: (text) => +moneyDecimal(text), fallback: 0 }
    case 'string':
      return { schema: Schemas.string(), read: moneyDecimal, fallback: atScale('0', digits) }
    case 'precise':
      return { schema: Logical.decimal(digits), read: (text) => atScale(moneyDecimal(text), digits), fallback: atScale('0', digits) }
  }
}

type Temporal = Omit<ColumnMapping, 'unchanged'>

function date(settings: SchemaSettings): Temporal {
  return settings.timePrecisionMode === 'connect'
    ? { schema: Logical.date(), read: dateReader(true), fallback: new Date(0) }
    : { schema: Debezium.date, read: dateReader(false), fallback: 0 }
}

function time(settings: SchemaSettings, precision: number): Temporal {
  const mode = settings.timePrecisionMode
  if (mode === 'connect') return { schema: Logical.time(), read: timeReader('date'), fallback: new Date(0) }
  if (mode === 'nanoseconds' || (mode === 'adaptive' && precision > 6))
    return { schema: Debezium.nanoTime, read: timeReader('nanos'), fallback: 0 }
  if (mode === 'adaptive' && precision <= 3) return { schema: Debezium.time, read: timeReader('millis'), fallback: 0 }
  return { schema: Debezium.microTime, read: timeReader('micros'), fallback: 0 }
}

function timestamp(settings: SchemaSettings, precision: number): Temporal {
  const mode = settings.timePrecisionMode
  if (mode === 'connect') return { schema: Logical.timestamp(), read: timestampReader('date'), fallback: new Date(0) }
  if (mode === 'nanoseconds' || (mode !== 'microseconds' && precision > 6))
    return { schema: Debezium.nanoTimestamp, read: timestampReader('nanos'), fallback: 0 }
  if (mode !== 'microseconds' && precision <= 3) return { schema: Debezium.timestamp, read: timestampReader('millis'), fallback: 0 }
  return { schema: Debezium.microTimestamp, read: timestampReader('micros'), fallback: 0 }
}

const text = (schema: Schema): Omit<ColumnMapping, 'unchanged'> => ({ schema, read: readText, fallback: '' })

/** The mapping of a scalar type (or of an array, below), unchanged-TOAST value aside. */
function scalar(context: Context): Omit<ColumnMapping, 'unchanged'> | undefined {
  const { column, types, settings } = context
  const oid = column.rootOid
  switch (oid) {
    case Oid.bit:
    case Oid.varbit:
      return column.length > 1
        ? { schema: Debezium.bits(column.length), read: readBits, fallback: Buffer.alloc(0) }
        : { schema: Schemas.boolean(), read: readBit, fallback: false }
    case Oid.interval:
      return settings.intervalMode === 'string'
        ? { schema: Debezium.interval, read: readIsoInterval, fallback: 'P0Y0M0DT0H0M0S' }
        : { schema: Debezium.microDuration, read: readMicroDuration, fallback: 0 }
    case Oid.timestamptz:
      return {
        schema: Debezium.zonedTimestamp,
        read: zonedTimestampReader(column.scale ?? column.length),
        fallback: '1970-01-01T00:00:00Z',
      }
    case Oid.timetz:
      return { schema: Debezium.zonedTime, read: readZonedTime, fallback: '00:00:00Z' }
    case Oid.oid:
      return { schema: Schemas.int64(), read: readLong, fallback: 0 }
    case Oid.json:
    case Oid.jsonb:
      return text(Debezium.json)
    case Oid.tsrange:
    case Oid.tstzrange:
    case Oid.daterange:
    case Oid.int4range:
    case Oid.numrange:
    case Oid.int8range:
    case Oid.inet:
    case Oid.cidr:
    case Oid.macaddr:
    case Oid.macaddr8:
    case Oid.bpchar:
      return text(Schemas.string())
    case Oid.uuid:
      return text(Debezium.uuid)
    case Oid.point:
      return { schema: Debezium.point, read: readPoint, fallback: { x: 0, y: 0, wkb: pointWkb(0, 0), srid: null } }
    case Oid.money:
      return money(context)
    case Oid.numeric:
      return numeric(context)
    case Oid.bytea:
      return binary(settings, readBytes)
    case Oid.tsvector:
      return text(Debezium.tsvector)
    // The JDBC driver's types for the rest.
    case Oid.int2:
      return { schema: Schemas.int16(), read: readInteger, fallback: 0 }
    case Oid.int4:
      return { schema: Schemas.int32(), read: readInteger, fallback: 0 }
    case Oid.int8:
      return { schema: Schemas.int64(), read: readLong, fallback: 0 }
    case Oid.float4:
      return { schema: Schemas.float32(), read: readFloat, fallback: 0 }
    case Oid.float8:
      return { schema: Schemas.float64(), read: readFloat, fallback: 0 }
    case Oid.bool:
      return { schema: Schemas.boolean(), read: readBoolean, fallback: false }
    case Oid.char:
    case Oid.varchar:
    case Oid.text:
    case Oid.name:
      return text(Schemas.string())
    case Oid.xml:
      return text(Debezium.xml)
    case Oid.date:
      return date(settings)
    case Oid.time:
      return time(settings, column.scale ?? -1)
    case Oid.timestamp:
      return timestamp(settings, column.scale ?? -1)
    default:
      break
  }
  const type = types(oid)
  if (type?.name === 'hstore') return hstoreReader(settings.hstoreMode)
  if (type?.kind === 'e') return text(Debezium.enum(type.labels ?? []))
  const element = arrayElement(oid, types)
  if (element !== undefined) return array(context, element)
  if (settings.includeUnknownDatatypes) return binary(settings, (value) => Buffer.from(value, 'utf8'))
  return undefined
}

/**
 * An array, element by element. Debezium makes the elements of the built-in arrays and of hstore[]
 * optional; an enum's or another type's (a domain's, with include.unknown.datatypes, as bytes) it
 * leaves required, as it builds them.
 */
function array(context: Context, element: number): Omit<ColumnMapping, 'unchanged'> | undefined {
  const { column, types } = context
  const builtin = ARRAY_ELEMENTS[column.rootOid] !== undefined
  if (builtin && !MAPPED_ARRAYS.has(column.rootOid)) return undefined
  const elementType = types(element)
  let mapped: Omit<ColumnMapping, 'unchanged'> | undefined
  if (elementType?.kind === 'e') mapped = text(Debezium.enum(elementType.labels ?? []))
  else {
    const elementColumn: SourceColumn = {
      ...column,
      name: `${column.name}-element`,
      typeOid: element,
      rootOid: element,
      optional: true,
      defaultExpression: null,
    }
    mapped = scalar({ ...context, column: elementColumn })
    if (mapped !== undefined && (builtin || elementType?.name === 'hstore')) mapped = { ...mapped, schema: asOptional(mapped.schema) }
  }
  if (mapped === undefined) return undefined
  const read = mapped.read
  return { schema: Schemas.array(mapped.schema), read: (value) => parsePgArray(value, read), fallback: [] }
}

/** Java's UUID.nameUUIDFromBytes: an MD5-based (version 3) UUID. */
function nameUuid(bytes: Buffer): string {
  const hash = createHash('md5').update(bytes).digest()
  hash[6] = ((hash[6] as number) & 0x0f) | 0x30
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80
  const hex = hash.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Debezium's unchanged-TOAST placeholder, shaped for the column's type. */
function unchangedValue(context: Context, mapping: Omit<ColumnMapping, 'unchanged'>): unknown {
  const placeholder = context.settings.placeholder
  const bytes = Buffer.from(placeholder, 'utf8')
  switch (context.types(context.column.rootOid)?.name ?? '') {
    case '_text':
    case '_varchar':
    case '_bpchar':
    case '_json':
    case '_jsonb':
      return [placeholder]
    case '_bytea':
      return [bytes]
    case '_int4':
    case '_date':
    case '_int8':
      return [...bytes].map((byte) => (byte > 127 ? byte - 256 : byte))
    case '_uuid':
      return [nameUuid(bytes)]
    case 'hstore':
      return mapping.read(`"${placeholder}"=>"${placeholder}"`)
    default:
      return mapping.schema.type === 'bytes' ? bytes : placeholder
  }
}

/** The column's mapping; undefined when Debezium leaves such a column out of its events. */
export function columnMapping(column: SourceColumn, types: TypeLookup, settings: SchemaSettings): ColumnMapping | undefined {
  const context = { column, types, settings }
  const mapping = scalar(context)
  if (mapping === undefined) return undefined
  return { ...mapping, unchanged: unchangedValue(context, mapping) }
}
