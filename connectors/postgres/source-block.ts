/**
 * The `source` block of a PostgreSQL change event (Debezium's PostgresSourceInfoStructMaker): its
 * schema, `io.debezium.connector.postgresql.Source`, and its value, where `sequence` is
 * `["<last commit LSN>","<LSN>"]` with the LSNs as decimal numbers, and `lsn` and `txId` are left
 * out of incremental snapshot rows as Debezium leaves them.
 */
import { Schemas, type Schema } from '../../core/runtime/plugin.ts'
import { sourceSchema, type SnapshotMarker } from '../cdc-envelope/envelope-schema.ts'

const OPTIONAL_INT64 = Schemas.int64({ optional: true })

export const POSTGRES_SOURCE_SCHEMA: Schema = sourceSchema('io.debezium.connector.postgresql.Source', [
  ['schema', Schemas.string()],
  ['table', Schemas.string()],
  ['txId', OPTIONAL_INT64],
  ['lsn', OPTIONAL_INT64],
  ['xmin', OPTIONAL_INT64],
  ['origin', Schemas.string({ optional: true })],
  ['origin_lsn', OPTIONAL_INT64],
])

export interface PostgresSource {
  readonly version: string
  readonly connector: 'postgresql'
  readonly name: string
  readonly ts_ms: number
  readonly snapshot: SnapshotMarker
  readonly db: string
  readonly sequence: string
  readonly ts_us: number
  readonly ts_ns: bigint
  readonly schema: string
  readonly table: string
  readonly txId: number | null
  readonly lsn: number | bigint | null
  readonly xmin: null
  readonly origin: null
  readonly origin_lsn: null
}
