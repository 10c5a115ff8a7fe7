/**
 * The schemas every Debezium change event shares, whatever the database: the envelope around a
 * table's row schema (`before`, `after`, `source`, `transaction`, `op`, `ts_ms`, `ts_us`, `ts_ns`,
 * version 2), the transaction block (`event.block`) and the common head of the `source` block, in
 * Debezium's field order, so JsonConverter's text of them is Debezium's byte for byte.
 */
import { Schemas, type Schema } from '../../core/runtime/plugin.ts'

/** Debezium's SnapshotRecord values, in its order: what `source.snapshot` may say. */
export const SNAPSHOT_MARKERS = [
  'true',
  'first',
  'first_in_data_collection',
  'last_in_data_collection',
  'last',
  'false',
  'incremental',
] as const
export type SnapshotMarker = (typeof SNAPSHOT_MARKERS)[number]

const SNAPSHOT_SCHEMA = Schemas.string({
  optional: true,
  name: 'io.debezium.data.Enum',
  version: 1,
  parameters: { allowed: SNAPSHOT_MARKERS.join(',') },
  defaultValue: 'false',
})

/** The `transaction` block (null unless transaction metadata is provided). */
export const TRANSACTION_SCHEMA = Schemas.struct(
  [
    ['id', Schemas.string()],
    ['total_order', Schemas.int64()],
    ['data_collection_order', Schemas.int64()],
  ],
  { optional: true, name: 'event.block', version: 1 },
)

/** A connector's `source` schema: the common fields, then its own. */
export function sourceSchema(name: string, own: ReadonlyArray<readonly [string, Schema]>): Schema {
  return Schemas.struct(
    [
      ['version', Schemas.string()],
      ['connector', Schemas.string()],
      ['name', Schemas.string()],
      ['ts_ms', Schemas.int64()],
      ['snapshot', SNAPSHOT_SCHEMA],
      ['db', Schemas.string()],
      ['sequence', Schemas.string({ optional: true })],
      ['ts_us', Schemas.int64({ optional: true })],
      ['ts_ns', Schemas.int64({ optional: true })],
      ...own,
    ],
    { name, version: 1 },
  )
}

const OPTIONAL_INT64 = Schemas.int64({ optional: true })

/** The envelope of a table's change events, named `<topic>.Envelope`. */
export function envelopeSchema(name: string, row: Schema, source: Schema): Schema {
  return Schemas.struct(
    [
      ['before', row],
      ['after', row],
      ['source', source],
      ['transaction', TRANSACTION_SCHEMA],
      ['op', Schemas.string()],
      ['ts_ms', OPTIONAL_INT64],
      ['ts_us', OPTIONAL_INT64],
      ['ts_ns', OPTIONAL_INT64],
    ],
    { name, version: 2 },
  )
}
