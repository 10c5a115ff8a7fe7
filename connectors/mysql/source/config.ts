/**
 * The `mysql-cdc` source's config (flat string map, Debezium's key names where they exist); the
 * connection keys it shares with `mysql-sink` are shared/connection-settings.ts's.
 */
import { z } from 'zod'
import { skippedOperationsSetting } from '../../cdc-envelope/skipped-operations.ts'
import { connectionFields } from '../shared/connection-settings.ts'
import { SYSTEM_DATABASES } from '../shared/catalog.ts'
import type { SchemaSettings } from './schema-settings.ts'

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
)
const bool = z.enum(['true', 'false']).transform((value) => value === 'true')
/** Comma-separated regular expressions, each checked as it is read. */
const patterns = z
  .string()
  .default('')
  .transform((value, context) => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
    for (const item of items) {
      try {
        new RegExp(item)
      } catch {
        context.addIssue({ code: 'custom', message: `"${item}" is not a regular expression` })
        return z.NEVER
      }
    }
    return items
  })

export const mysqlSourceConfig = z.object({
  ...connectionFields,
  user: z
    .string()
    .default('root')
    .describe('User with REPLICATION SLAVE, REPLICATION CLIENT and SELECT (and RELOAD on MySQL for the snapshot lock)'),
  'topic.prefix': z
    .string()
    .regex(/^[a-zA-Z0-9._-]+$/)
    .describe('Logical server name: topics are <prefix>.<database>.<table>, with characters a topic name cannot hold as _'),
  topic: z.string().optional().describe('Send every change to this one topic instead of a topic per table'),
  tables: list.default([]).describe('Tables to capture as database.table, comma separated; empty: table.include.list decides'),
  'table.include.list': z
    .string()
    .default('')
    .describe('Comma-separated regular expressions matched against the whole database.table; empty with no tables: every user table'),
  'server.id': z.coerce
    .number()
    .int()
    .min(1)
    .max(4_294_967_295)
    .optional()
    .describe(
      'Replica server id for the binlog connection; unique among the replicas of the server, which drops the older of two binlog connections with one id (Debezium database.server.id). Unset: derived from the connector name, so connectors on one server differ',
    ),
  'snapshot.mode': z
    .enum(['initial', 'no_data', 'initial_only', 'when_needed'])
    .default('initial')
    .describe(
      'initial: read the tables first, then stream; no_data: stream from the current position only; initial_only: read and stop; when_needed: read when there is no usable offset',
    ),
  'snapshot.chunk.rows': z.coerce
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe(
      "Rows per snapshot chunk (primary-key order). Small chunks keep the worker's memory low: a chunk's rows then die young in the JS heap",
    ),
  'skipped.operations': skippedOperationsSetting,
  'tombstones.on.delete': bool.default(true).describe('Follow each delete with a tombstone (null value) for compaction'),
  'heartbeat.interval.ms': z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'While the captured tables are idle but the binlog moves on, send a heartbeat record this often so the stored position follows; 0 disables (as Debezium)',
    ),
  'topic.heartbeat.prefix': z
    .string()
    .regex(/^[a-zA-Z0-9._-]+$/)
    .default('__debezium-heartbeat')
    .describe('Heartbeat records go to <topic.heartbeat.prefix>.<topic.prefix>'),
  'schema.history.internal.kafka.topic': z
    .string()
    .default('')
    .describe(
      "Compacted internal topic of the schema history (each captured table's columns and key from the binlog position where they became valid); empty: _tributary-schema-history.<connector name>",
    ),
  'batch.size': z.coerce
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe(
      'Most rows per poll (a little more when the last binlog event read carries several); twice this many decoded rows wait in memory. The runtime keeps up to eight polls in flight while the log flushes (with exactly-once sources, eight in the transaction committing and eight gathered for the next)',
    ),
  'poll.max.ms': z.coerce.number().int().min(10).default(500).describe('Longest a poll waits for changes'),
  'decimal.handling.mode': z
    .enum(['precise', 'double', 'string'])
    .default('precise')
    .describe(
      "DECIMAL columns: precise, a Decimal (org.apache.kafka.connect.data.Decimal with scale and precision); double, a float64; string, the plain decimal text at the column's scale",
    ),
  'time.precision.mode': z
    .enum(['adaptive_time_microseconds', 'connect'])
    .default('adaptive_time_microseconds')
    .describe(
      "DATE, TIME and DATETIME columns: adaptive_time_microseconds, Debezium's types (io.debezium.time.Date, MicroTime, Timestamp up to DATETIME(3), MicroTimestamp beyond); connect, Kafka Connect's Date, Time and Timestamp (ms; a TIME outside 00:00 … 24:00 becomes null). TIMESTAMP is io.debezium.time.ZonedTimestamp either way",
    ),
  'binary.handling.mode': z
    .enum(['bytes', 'base64', 'base64-url-safe', 'hex'])
    .default('bytes')
    .describe('BINARY, VARBINARY and BLOB columns: bytes, or a string of base64, URL-safe base64 or hex'),
  'bigint.unsigned.handling.mode': z
    .enum(['long', 'precise'])
    .default('long')
    .describe(
      'BIGINT UNSIGNED columns: long, an int64 (values beyond 2^63 - 1 wrap to negative, as in Debezium); precise, a Decimal of scale 0',
    ),
  'column.propagate.source.type': patterns.describe(
    'Columns (regular expressions of database.table.column, comma separated) whose schema gets the source type as parameters __debezium.source.column.type, .length, .scale and .name, so a sink can create varchar(40) or decimal(20,6) exactly',
  ),
  'datatype.propagate.source.type': patterns.describe(
    'The same for every column of matching types (regular expressions of database.table.type, e.g. .+\\.varchar)',
  ),
})

export type MysqlSourceConfig = z.infer<typeof mysqlSourceConfig>

/** What decides the schemas and values of the events, on a MariaDB server or a MySQL one. */
export function schemaSettings(config: MysqlSourceConfig, isMariaDb: boolean): SchemaSettings {
  return {
    decimalMode: config['decimal.handling.mode'],
    timePrecisionMode: config['time.precision.mode'],
    binaryMode: config['binary.handling.mode'],
    bigintUnsignedMode: config['bigint.unsigned.handling.mode'],
    propagateColumns: config['column.propagate.source.type'],
    propagateDatatypes: config['datatype.propagate.source.type'],
    isMariaDb,
  }
}

/** Where derived replica server ids start: above the small ids servers are usually given. */
const DERIVED_SERVER_ID_BASE = 100_000
const DERIVED_SERVER_IDS = 2 ** 31

/** The replica server id: the configured one, or one derived from the connector name (stable across restarts). */
export function replicaServerId(config: MysqlSourceConfig, connector: string): number {
  if (config['server.id'] !== undefined) return config['server.id']
  let hash = 0x811c9dc5 // FNV-1a, 32 bits
  for (const byte of Buffer.from(connector, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return DERIVED_SERVER_ID_BASE + (hash % DERIVED_SERVER_IDS)
}

/** Which `database.table` names the connector captures. */
export function tableFilter(config: MysqlSourceConfig): (database: string, table: string) => boolean {
  const named = new Set(config.tables)
  const patterns = config['table.include.list']
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new RegExp(`^(?:${p})$`))
  return (database, table) => {
    if (SYSTEM_DATABASES.has(database)) return false
    const name = `${database}.${table}`
    if (named.size > 0 || patterns.length > 0) return named.has(name) || patterns.some((pattern) => pattern.test(name))
    return true
  }
}

/**
 * The captured tables in the order a snapshot reads them, as Debezium orders them: by the first entry
 * of `tables` or `table.include.list` that names them, then by name.
 */
export function snapshotOrder<T extends { database: string; table: string }>(config: MysqlSourceConfig, tables: readonly T[]): T[] {
  const entries = [
    ...config.tables.map((name) => (candidate: string) => candidate === name),
    ...config['table.include.list']
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => new RegExp(`^(?:${p})$`))
      .map((pattern) => (candidate: string) => pattern.test(candidate)),
  ]
  const rank = (t: T) => {
    const index = entries.findIndex((matches) => matches(`${t.database}.${t.table}`))
    return index < 0 ? entries.length : index
  }
  return [...tables].sort((a, b) => rank(a) - rank(b))
}
