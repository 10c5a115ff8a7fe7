/**
 * A record's value as the parameter the sink binds for its column. Without a schema the value is
 * taken as JSON data (JSON text for json/jsonb, base64 text as bytes for bytea). With one, the
 * field's schema says what it is, and the parameter is its exact PostgreSQL text: decimals digit for
 * digit, µs timestamps with their six digits, Debezium's Bits as a bit string, arrays as arrays.
 */
import { DATE, DECIMAL, DebeziumNames, TIME, TIMESTAMP, decimalFromBytes, decimalScale, type Schema } from '../../../core/runtime/plugin.ts'
import { clockText, dateText, dayMicros, epochDays, epochMicros, timestampText, wholeNumber } from '../../sql-sink/temporal-text.ts'
import { bitText, decimalValueText, pointCoordinates, typedJson, variableDecimalText } from '../../sql-sink/typed-text.ts'

/** `udt`: the column's udt_name (int8, jsonb, _int4 …), undefined for a column the table lacks. */
export type ParamWriter = (value: unknown, udt: string | undefined) => unknown

const isJson = (udt: string | undefined) => udt === 'json' || udt === 'jsonb'

/** A value of a record without a schema: JSON data. */
export function untypedParam(value: unknown, udt: string | undefined): unknown {
  if (value === null || value === undefined) return null
  if (isJson(udt)) return JSON.stringify(value)
  if (udt === 'bytea' && typeof value === 'string') return Buffer.from(value, 'base64')
  if (typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)) return JSON.stringify(value)
  return value
}

/** What Debezium's PostgreSQL source sends for ±infinity timestamps (the driver's sentinels). */
const INFINITY = 9_223_372_036_825_200_000n
const MINUS_INFINITY = -9_223_372_036_832_400_000n

function timestampWriter(schema: Schema): ParamWriter {
  return (value) => {
    if (typeof value === 'number' || typeof value === 'bigint') {
      const raw = BigInt(value)
      if (raw === INFINITY) return 'infinity'
      if (raw === MINUS_INFINITY) return '-infinity'
    }
    return timestampText(epochMicros(schema, value))
  }
}

function decimalWriter(schema: Schema): ParamWriter {
  return (value) => (Buffer.isBuffer(value) ? decimalFromBytes(value, decimalScale(schema)) : decimalValueText(value))
}

/**
 * Bits as a bit string: `length` digits for bit(n); for bit varying the digits the value needs, as
 * Debezium does not say how many leading zeros it had. A bytea column takes the bytes.
 */
function bitsWriter(schema: Schema): ParamWriter {
  const length = Number(schema.parameters?.length)
  return (value, udt) => {
    if (!Buffer.isBuffer(value) || udt === 'bytea') return value
    return bitText(value, udt === 'varbit' || !Number.isInteger(length) ? undefined : length)
  }
}

function arrayWriter(schema: Schema): ParamWriter {
  const element = typedParam(schema.valueSchema as Schema)
  return (value, udt) => {
    if (!Array.isArray(value) || (udt !== undefined && !udt.startsWith('_'))) return typedJson(value)
    return value.map((item) => (item === null || item === undefined ? null : element(item, udt)))
  }
}

/** Text the column's type reads as it is (ISO timestamps with offsets, UUIDs, JSON text …), or JSON for a JSON column. */
const asText: ParamWriter = (value) => value
const jsonOrValue: ParamWriter = (value, udt) => (isJson(udt) ? typedJson(value) : value)

/**
 * A string into a json/jsonb column is taken as the JSON text it holds when it is one (MariaDB's JSON
 * is a LONGTEXT, so Debezium sends it as a plain string), and as a JSON string otherwise.
 */
const stringParam: ParamWriter = (value, udt) =>
  isJson(udt) && !(typeof value === 'string' && isJsonText(value)) ? typedJson(value) : value

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function compile(schema: Schema): ParamWriter {
  switch (schema.name) {
    case DECIMAL:
      return decimalWriter(schema)
    case DebeziumNames.variableScaleDecimal:
      return variableDecimalText
    case DATE:
    case DebeziumNames.date:
      return (value) => dateText(epochDays(value))
    case TIME:
    case DebeziumNames.time:
    case DebeziumNames.microTime:
    case DebeziumNames.nanoTime:
      return (value) => clockText(dayMicros(schema, value))
    case TIMESTAMP:
    case DebeziumNames.timestamp:
    case DebeziumNames.microTimestamp:
    case DebeziumNames.nanoTimestamp:
      return timestampWriter(schema)
    // µs as hours, minutes and seconds (730:30:00 for Debezium's month): exact, with no float in between.
    case DebeziumNames.microDuration:
      return (value) => clockText(wholeNumber(value))
    case DebeziumNames.zonedTimestamp:
    case DebeziumNames.zonedTime:
    case DebeziumNames.interval:
    case DebeziumNames.json:
    case DebeziumNames.uuid:
    case DebeziumNames.xml:
    case DebeziumNames.enum:
    case DebeziumNames.enumSet:
      return asText
    case DebeziumNames.bits:
      return bitsWriter(schema)
    case DebeziumNames.point:
      return (value) => `(${pointCoordinates(value).join(',')})`
    default:
      break
  }
  switch (schema.type) {
    case 'boolean':
      return (value, udt) => (udt === 'bit' || udt === 'varbit' ? (value === true ? '1' : '0') : value)
    case 'array':
      return arrayWriter(schema)
    case 'struct':
    case 'map':
      return (value) => typedJson(value)
    case 'string':
      return stringParam
    // String(-0) is '0': the sign of a negative zero is kept.
    case 'float32':
    case 'float64':
      return (value, udt) => (isJson(udt) ? typedJson(value) : Object.is(value, -0) ? '-0' : value)
    default:
      return jsonOrValue
  }
}

const writers = new WeakMap<Schema, ParamWriter>()

/** The writer for a field of this schema (null stays null), compiled once per schema. */
export function typedParam(schema: Schema): ParamWriter {
  let writer = writers.get(schema)
  if (writer === undefined) {
    const write = compile(schema)
    writer = (value, udt) => (value === null || value === undefined ? null : write(value, udt))
    writers.set(schema, writer)
  }
  return writer
}

export type RowParams = (column: string, value: unknown, udt: string | undefined) => unknown

const rowWriters = new WeakMap<Schema, RowParams>()

/**
 * The parameters of a row whose struct schema is `schema`: each column by its field's schema, a
 * column the schema lacks (an earlier row's, folded in) as untyped data.
 */
const untypedRow: RowParams = (_column, value, udt) => untypedParam(value, udt)
/** Rows come in runs of one schema: the last answer saves a lookup per value. */
let last: { schema: Schema | undefined; params: RowParams } = { schema: undefined, params: untypedRow }

export function rowParams(schema: Schema | undefined): RowParams {
  if (schema === last.schema) return last.params
  if (schema === undefined) return untypedRow
  let params = rowWriters.get(schema)
  if (params === undefined) {
    const byColumn = new Map((schema.fields ?? []).map((f) => [f.name, typedParam(f.schema)]))
    params = (column, value, udt) => (byColumn.get(column) ?? untypedParam)(value, udt)
    rowWriters.set(schema, params)
  }
  last = { schema, params }
  return params
}
