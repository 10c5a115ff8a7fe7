/**
 * A typed record's value as a MySQL literal: its field's schema says what it is, so each goes in
 * exactly (decimals as their text, µs timestamps with six digits, Debezium's Bits as a bit literal,
 * bytes as hex, Json as its own text, arrays and structs as JSON). Zoned values are written in UTC,
 * the session's zone. A column a row has that its schema lacks (folded in from an earlier row) and
 * records without a schema take the untyped path (sink-values.ts).
 */
import { escape as escapeSql } from 'mysql2'
import { DATE, DECIMAL, DebeziumNames, TIME, TIMESTAMP, decimalFromBytes, decimalScale, type Schema } from '../../../core/runtime/plugin.ts'
import { clockText, dateText, dayMicros, epochDays, epochMicros, timestampText, wholeNumber } from '../../sql-sink/temporal-text.ts'
import { bitBytes, bitText, decimalValueText, pointCoordinates, typedJson, variableDecimalText } from '../../sql-sink/typed-text.ts'
import type { ColumnKind } from '../shared/catalog.ts'
import { sqlDateTime, sqlLiteral, sqlTime } from './sink-values.ts'

export type LiteralWriter = (value: unknown, kind: ColumnKind | undefined) => string

const hex = (bytes: Buffer) => `X'${bytes.toString('hex')}'`
const text = (value: string) => escapeSql(value)

/** A number as MySQL reads it back the same: -0 as a double's -0, not the integer 0. */
function numberLiteral(value: unknown): string {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') return Object.is(value, -0) ? '-0e0' : Number.isFinite(value) ? String(value) : escapeSql(String(value))
  return sqlLiteral(value, undefined)
}

/** Any value as the JSON a JSON column takes, or else by itself. */
const orJson =
  (write: LiteralWriter): LiteralWriter =>
  (value, kind) =>
    kind === 'json' ? text(typedJson(value)) : write(value, kind)

function bitsWriter(schema: Schema): LiteralWriter {
  const length = Number(schema.parameters?.length)
  const width = Number.isInteger(length) && length > 0 ? length : undefined
  return (value, kind) => {
    if (!Buffer.isBuffer(value)) return sqlLiteral(value, kind)
    if (kind === 'bit') return `b'${bitText(value, width) || '0'}'`
    return hex(bitBytes(value, width))
  }
}

function compile(schema: Schema): LiteralWriter {
  switch (schema.name) {
    case DECIMAL:
      return (value) => text(Buffer.isBuffer(value) ? decimalFromBytes(value, decimalScale(schema)) : decimalValueText(value))
    case DebeziumNames.variableScaleDecimal:
      return (value) => text(variableDecimalText(value))
    case DATE:
    case DebeziumNames.date:
      return (value) => text(dateText(epochDays(value)))
    case TIME:
    case DebeziumNames.time:
    case DebeziumNames.microTime:
    case DebeziumNames.nanoTime:
      return (value) => text(clockText(dayMicros(schema, value)))
    case TIMESTAMP:
    case DebeziumNames.timestamp:
    case DebeziumNames.microTimestamp:
    case DebeziumNames.nanoTimestamp:
      return (value) => text(timestampText(epochMicros(schema, value)))
    case DebeziumNames.zonedTimestamp:
      return (value, kind) => (kind === 'date' ? text(sqlDateTime(String(value)).slice(0, 10)) : text(sqlDateTime(String(value))))
    case DebeziumNames.zonedTime:
      return (value) => text(sqlTime(String(value)))
    case DebeziumNames.microDuration:
      return (value, kind) => (kind === 'time' ? text(clockText(wholeNumber(value))) : wholeNumber(value).toString())
    case DebeziumNames.interval:
    case DebeziumNames.json:
    case DebeziumNames.uuid:
    case DebeziumNames.xml:
    case DebeziumNames.enum:
    case DebeziumNames.enumSet:
      return (value) => text(String(value))
    case DebeziumNames.bits:
      return bitsWriter(schema)
    case DebeziumNames.point:
      return orJson((value) => `POINT(${pointCoordinates(value).join(', ')})`)
    default:
      break
  }
  switch (schema.type) {
    case 'boolean':
      return orJson((value) => (value === true ? '1' : '0'))
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
      return orJson(numberLiteral)
    // ISO text into a date or time column is made MySQL's, as for untyped records.
    case 'string':
      return orJson((value, kind) =>
        kind === 'date' || kind === 'datetime' || kind === 'timestamp' || kind === 'time' ? sqlLiteral(value, kind) : text(String(value)),
      )
    case 'bytes':
      return orJson((value) => (Buffer.isBuffer(value) ? hex(value) : sqlLiteral(value, undefined)))
    default:
      return (value) => text(typedJson(value))
  }
}

const writers = new WeakMap<Schema, LiteralWriter>()

/** The writer for a field of this schema (null is NULL), compiled once per schema. */
export function typedLiteral(schema: Schema): LiteralWriter {
  let writer = writers.get(schema)
  if (writer === undefined) {
    const write = compile(schema)
    writer = (value, kind) => (value === null || value === undefined ? 'NULL' : write(value, kind))
    writers.set(schema, writer)
  }
  return writer
}

export type RowLiterals = (column: string, value: unknown, kind: ColumnKind | undefined) => string

const rowWriters = new WeakMap<Schema, RowLiterals>()
const untypedRow: RowLiterals = (_column, value, kind) => sqlLiteral(value, kind)
/** Rows come in runs of one schema: the last answer saves a lookup per value. */
let last: { schema: Schema | undefined; literals: RowLiterals } = { schema: undefined, literals: untypedRow }

/** The literals of a row whose struct schema is `schema` (undefined: a record without one). */
export function rowLiterals(schema: Schema | undefined): RowLiterals {
  if (schema === last.schema) return last.literals
  if (schema === undefined) return untypedRow
  let literals = rowWriters.get(schema)
  if (literals === undefined) {
    const byColumn = new Map((schema.fields ?? []).map((f) => [f.name, typedLiteral(f.schema)]))
    literals = (column, value, kind) => (byColumn.get(column) ?? sqlLiteral)(value, kind)
    rowWriters.set(schema, literals)
  }
  last = { schema, literals }
  return literals
}
