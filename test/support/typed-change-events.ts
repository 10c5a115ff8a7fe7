/**
 * Typed change events as a Debezium source sends them, for sink tests: a row schema, the envelope
 * schema around it, and records (`c`, `d`) carrying both with their key, plus the parameters a source
 * with `column.propagate.source.type` adds to each field.
 */
import {
  Debezium,
  DebeziumNames,
  Logical,
  Schemas,
  asOptional,
  withOptions,
  type Schema,
  type SinkRecord,
} from '../../core/runtime/plugin.ts'
import { sinkRecord } from './task-context.ts'

/** The `__debezium.source.column.*` parameters of a field whose source column is `type(length, scale)`. */
export function sourceType(type: string, length?: number, scale?: number): Record<string, string> {
  return {
    '__debezium.source.column.type': type,
    ...(length !== undefined && { '__debezium.source.column.length': String(length) }),
    ...(scale !== undefined && { '__debezium.source.column.scale': String(scale) }),
  }
}

export const optional = { optional: true }

/** An optional field of a Debezium semantic type (`name`), version 1 as Debezium's are. */
export const named = (build: typeof Schemas.int64, name: string, parameters?: Record<string, string>): Schema =>
  build({ optional: true, name, version: 1, ...(parameters && { parameters }) })

/** Debezium's io.debezium.data.geometry.Point, optional. */
export const point = Schemas.struct(
  [
    ['x', Schemas.float64()],
    ['y', Schemas.float64()],
    ['wkb', Schemas.bytes(optional)],
    ['srid', Schemas.int32(optional)],
  ],
  { ...optional, name: DebeziumNames.point, version: 1 },
)

/** A field of every Connect and Debezium schema a sink maps without a propagated source type, keyed by a string `id`. */
export const FIELDS_OF_EVERY_SCHEMA: ReadonlyArray<readonly [string, Schema]> = [
  ['id', Schemas.string()],
  ['i8', Schemas.int8(optional)],
  ['i16', Schemas.int16(optional)],
  ['i32', Schemas.int32(optional)],
  ['i64', Schemas.int64(optional)],
  ['f32', Schemas.float32(optional)],
  ['f64', Schemas.float64(optional)],
  ['flag', Schemas.boolean(optional)],
  ['s', Schemas.string(optional)],
  ['raw', Schemas.bytes(optional)],
  ['dec', Logical.decimal(3, 10, optional)],
  ['dec_free', Logical.decimal(5, undefined, optional)],
  ['vsd', withOptions(Debezium.variableScaleDecimal, optional)],
  ['day', Logical.date(optional)],
  ['clock', Logical.time(optional)],
  ['stamp', Logical.timestamp(optional)],
  ['micro', named(Schemas.int64, DebeziumNames.microTimestamp)],
  ['nano', named(Schemas.int64, DebeziumNames.nanoTimestamp)],
  ['micro_time', named(Schemas.int64, DebeziumNames.microTime)],
  ['zoned', named(Schemas.string, DebeziumNames.zonedTimestamp)],
  ['zoned_time', named(Schemas.string, DebeziumNames.zonedTime)],
  ['duration', named(Schemas.float64, DebeziumNames.microDuration)],
  ['year', named(Schemas.int32, DebeziumNames.year)],
  ['doc', named(Schemas.string, DebeziumNames.json)],
  ['uid', named(Schemas.string, DebeziumNames.uuid)],
  ['mood', Debezium.enum(['happy', 'sad'], true)],
  ['bits', Debezium.bits(12, true)],
  ['ints', Schemas.array(Schemas.int64(), optional)],
  ['words', Schemas.array(Schemas.string(optional), optional)],
  [
    'nested',
    Schemas.struct(
      [
        ['a', Schemas.int32()],
        ['b', Schemas.bytes()],
      ],
      optional,
    ),
  ],
  ['tags', Schemas.map(Schemas.string(), Schemas.int64(), optional)],
  ['where', point],
]

export interface TypedTable {
  readonly row: Schema
  readonly key: Schema
  readonly envelope: Schema
  /** A create event of `after`, keyed by `keyColumn`. */
  create(after: Record<string, unknown>, offset: number): SinkRecord
  /** A delete event of `before`. */
  remove(before: Record<string, unknown>, offset: number): SinkRecord
  /** A flat record (an unwrapped event): the row itself with the row schema. */
  flat(row: Record<string, unknown>, offset: number): SinkRecord
}

const SOURCE = Schemas.struct(
  [
    ['db', Schemas.string()],
    ['schema', Schemas.string({ optional: true })],
    ['table', Schemas.string()],
  ],
  { name: 'io.debezium.connector.source.Source' },
)

/** Typed events of one table; `source` is the events' source block (its db, schema and table name the target). */
export function typedTable(
  fields: ReadonlyArray<readonly [string, Schema]>,
  keyColumn: string,
  source: Readonly<Record<string, string>>,
  topic: string,
): TypedTable {
  const row = Schemas.struct(fields, { name: `${topic}.Value` })
  const keyField = fields.find(([name]) => name === keyColumn)
  if (keyField === undefined) throw new Error(`no key field ${keyColumn}`)
  const key = Schemas.struct([keyField], { name: `${topic}.Key` })
  const envelope = Schemas.struct(
    [
      ['before', asOptional(row)],
      ['after', asOptional(row)],
      ['source', SOURCE],
      ['op', Schemas.string()],
      ['ts_ms', Schemas.int64({ optional: true })],
    ],
    { name: `${topic}.Envelope` },
  )
  const event = (op: string, before: unknown, after: unknown, keyRow: Record<string, unknown>, offset: number) =>
    sinkRecord({
      topic,
      offset,
      key: { [keyColumn]: keyRow[keyColumn] },
      keySchema: key,
      value: { before, after, source, op, ts_ms: 0 },
      valueSchema: envelope,
    })
  return {
    row,
    key,
    envelope,
    create: (after, offset) => event('c', null, after, after, offset),
    remove: (before, offset) => event('d', before, null, before, offset),
    flat: (value, offset) => sinkRecord({ topic, offset, key: { [keyColumn]: value[keyColumn] }, keySchema: key, value, valueSchema: row }),
  }
}
