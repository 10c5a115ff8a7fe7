/**
 * The `source` block of a MySQL or MariaDB change event, as Debezium's MySqlSourceInfoStructMaker
 * (and the MariaDB connector's copy of it) makes it: the common head, then `table`, `server_id`,
 * `gtid`, `file`, `pos`, `row`, `thread` and `query`, named `io.debezium.connector.mysql.Source` or
 * `io.debezium.connector.mariadb.Source` with `connector` "mysql" or "mariadb" to match.
 */
import { Schemas, type Schema } from '../../../core/runtime/plugin.ts'
import { sourceSchema, type SnapshotMarker } from '../../cdc-envelope/envelope-schema.ts'

const OWN: ReadonlyArray<readonly [string, Schema]> = [
  ['table', Schemas.string({ optional: true })],
  ['server_id', Schemas.int64()],
  ['gtid', Schemas.string({ optional: true })],
  ['file', Schemas.string()],
  ['pos', Schemas.int64()],
  ['row', Schemas.int32()],
  ['thread', Schemas.int64({ optional: true })],
  ['query', Schemas.string({ optional: true })],
]

export const MYSQL_SOURCE_SCHEMA: Schema = sourceSchema('io.debezium.connector.mysql.Source', OWN)
export const MARIADB_SOURCE_SCHEMA: Schema = sourceSchema('io.debezium.connector.mariadb.Source', OWN)

/** A change's source block, in the schema's field order (which a copy keeps). */
export interface MysqlSource {
  readonly version: string
  readonly connector: 'mysql' | 'mariadb'
  readonly name: string
  readonly ts_ms: number
  readonly snapshot: SnapshotMarker
  readonly db: string
  readonly sequence: null
  readonly ts_us: number
  readonly ts_ns: bigint
  readonly table: string
  readonly server_id: number
  readonly gtid: string | null
  readonly file: string
  readonly pos: number
  readonly row: number
  readonly thread: number | null
  readonly query: null
}

/** What the changes of one binlog event (or one snapshot chunk) share: all but `pos` and `row`. */
export type SharedSource = Omit<MysqlSource, 'pos' | 'row'>

export function sourceBlock(shared: SharedSource, pos: number, row: number): MysqlSource {
  // Written out, not spread: one block per change.
  return {
    version: shared.version,
    connector: shared.connector,
    name: shared.name,
    ts_ms: shared.ts_ms,
    snapshot: shared.snapshot,
    db: shared.db,
    sequence: null,
    ts_us: shared.ts_us,
    ts_ns: shared.ts_ns,
    table: shared.table,
    server_id: shared.server_id,
    gtid: shared.gtid,
    file: shared.file,
    pos,
    row,
    thread: shared.thread,
    query: null,
  }
}
