/**
 * Typed change events as a Debezium source sends them, for sink tests: a row schema, the envelope
 * schema around it, and records (`c`, `d`) carrying both with their key, plus the parameters a source
 * with `column.propagate.source.type` adds to each field.
 */
import { Schemas, asOptional, type Schema, type SinkRecord } from '../../core/runtime/plugin.ts'
import { sinkRecord } from './task-context.ts'

/** The `__debezium.source.column.*` parameters of a field whose source column is `type(length, scale)`. */
export function sourceType(type: string, length?: number, scale?: number): Record<string, string> {
  return {
    '__debezium.source.column.type': type,
    ...(length !== undefined && { '__debezium.source.column.length': String(length) }),
    ...(scale !== undefined && { '__debezium.source.column.scale': String(scale) }),
  }
}

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

const SOURCE = Schemas.struct([['db', Schemas.string()], ['schema', Schemas.string({ optional: true })], ['table', Schemas.string()]], { name: 'io.debezium.connector.source.Source' })

/** Typed events of one table; `source` is the events' source block (its db, schema and table name the target). */
export function typedTable(fields: ReadonlyArray<readonly [string, Schema]>, keyColumn: string, source: Readonly<Record<string, string>>, topic: string): TypedTable {
  const row = Schemas.struct(fields, { name: `${topic}.Value` })
  const keyField = fields.find(([name]) => name === keyColumn)
  if (keyField === undefined) throw new Error(`no key field ${keyColumn}`)
  const key = Schemas.struct([keyField], { name: `${topic}.Key` })
  const envelope = Schemas.struct(
    [['before', asOptional(row)], ['after', asOptional(row)], ['source', SOURCE], ['op', Schemas.string()], ['ts_ms', Schemas.int64({ optional: true })]],
    { name: `${topic}.Envelope` },
  )
  const event = (op: string, before: unknown, after: unknown, keyRow: Record<string, unknown>, offset: number) =>
    sinkRecord({ topic, offset, key: { [keyColumn]: keyRow[keyColumn] }, keySchema: key, value: { before, after, source, op, ts_ms: 0 }, valueSchema: envelope })
  return {
    row,
    key,
    envelope,
    create: (after, offset) => event('c', null, after, after, offset),
    remove: (before, offset) => event('d', before, null, before, offset),
    flat: (value, offset) => sinkRecord({ topic, offset, key: { [keyColumn]: value[keyColumn] }, keySchema: key, value, valueSchema: row }),
  }
}
