/** The `postgres-cdc` source's config (flat string map, Debezium's key names and defaults where they exist). */
import { z } from 'zod'
import { skippedOperationsSetting } from '../../cdc-envelope/skipped-operations.ts'
import type { SchemaSettings } from './schema-settings.ts'

const patterns = z
  .string()
  .default('')
  .refine((value) => value.split(',').every((item) => isRegExp(item.trim())), 'must be comma-separated regular expressions')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
)
const bool = z.enum(['true', 'false']).transform((value) => value === 'true')

export const postgresSourceConfig = z.object({
  url: z.string().min(1).describe('Connection string of the database to capture (postgres://user:password@host:port/db)'),
  'topic.prefix': z
    .string()
    .regex(/^[a-zA-Z0-9._-]+$/)
    .describe('Logical server name: topics are <prefix>.<schema>.<table>, with characters a topic name cannot hold as _'),
  topic: z.string().optional().describe('Send every change to this one topic instead of a topic per table'),
  tables: list
    .default([])
    .describe(
      'Tables to capture as schema.table, comma separated; empty for all. A table added later is read by an incremental snapshot while streaming goes on',
    ),
  slot: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .default('tributary')
    .describe('Replication slot name (lower case, digits, _)'),
  publication: z
    .string()
    .default('tributary_publication')
    .describe(
      "Publication name; created for the tables when missing, publishing a partitioned table's changes under its own name (publish_via_partition_root)",
    ),
  'snapshot.mode': z
    .enum(['initial', 'no_data', 'initial_only', 'when_needed'])
    .default('initial')
    .describe(
      'initial: read the tables first, then stream; no_data: stream only; initial_only: read and stop; when_needed: read when there is no usable offset (none stored, or its slot missing or invalidated by the server)',
    ),
  'snapshot.chunk.rows': z.coerce
    .number()
    .int()
    .min(1)
    .default(500)
    .describe(
      "Rows per snapshot chunk (primary-key order); the next chunk is read while one is converted. Small chunks keep the worker's memory low: a chunk's rows then die young in the JS heap",
    ),
  'snapshot.thread': z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe(
      "Read the initial snapshot in a thread of its own: the reads, the decoding and the events' JSON run beside the worker's thread, which only writes the records. auto: when the machine has more than two cores (on two, the threads, the garbage collector and the database already share them all, and the thread only adds some 25 MB of memory); false: all in the worker's thread",
    ),
  'incremental.snapshot.chunk.rows': z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Rows per chunk when a table added to tables is read while streaming goes on (default: snapshot.chunk.rows)'),
  'heartbeat.interval.ms': z.coerce
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe('While captured tables are idle, confirm the server position this often so the slot pins no WAL; 0 disables'),
  'skipped.operations': skippedOperationsSetting,
  'tombstones.on.delete': bool.default(true).describe('Follow each delete with a tombstone (null value) for compaction'),
  'message.key.columns': z
    .string()
    .default('')
    .describe(
      'Key columns of tables, schema.table:col1,col2;schema.t2:col. Without it a table is keyed by its primary key or, lacking one, as Debezium does, by its first unique index (a clustered one first, then by name) of plain columns; with neither, records have a null key',
    ),
  'unavailable.value.placeholder': z
    .string()
    .default('__debezium_unavailable_value')
    .describe('Stands for an unchanged TOASTed value the server did not send'),
  'wal.retained.warn.bytes': z.coerce
    .number()
    .int()
    .min(0)
    .default(1024 ** 3)
    .describe('Warn when the slot keeps more WAL than this on the server; 0 disables the warning'),
  'slot.drop.on.stop': bool.default(false).describe('Drop the slot when the task stops (development only: changes while stopped are lost)'),
  streaming: bool
    .default(false)
    .describe(
      'Receive large transactions while in progress (protocol 2); they are held in memory until they commit (up to streaming.max.held.changes). Off: the server spills them and sends them at commit',
    ),
  'streaming.max.held.changes': z.coerce
    .number()
    .int()
    .min(1)
    .default(100_000)
    .describe(
      'With streaming: most changes of in-progress transactions held in memory; past it the source turns streaming off until it restarts, and the server spills large transactions to its disk and sends them at commit',
    ),
  'batch.size': z.coerce
    .number()
    .int()
    .min(1)
    .default(500)
    .describe(
      "Most records per poll; also how many decoded changes wait in memory. The runtime keeps up to eight polls in flight while the log flushes (with exactly-once sources, eight in the transaction committing and eight gathered for the next), so small polls cost no throughput and keep the worker's memory low",
    ),
  'poll.max.ms': z.coerce.number().int().min(10).default(500).describe('Longest a poll waits for changes'),
  'decimal.handling.mode': z
    .enum(['precise', 'double', 'string'])
    .default('precise')
    .describe(
      'numeric and money columns: precise, a Decimal (a numeric without a declared scale: io.debezium.data.VariableScaleDecimal; NaN and infinities become null); double, a float64; string, the plain decimal text (NaN as NAN)',
    ),
  'time.precision.mode': z
    .enum(['adaptive', 'adaptive_time_microseconds', 'connect', 'microseconds', 'nanoseconds'])
    .default('adaptive')
    .describe(
      "date, time and timestamp columns: adaptive, Debezium's types at the column's precision (io.debezium.time.Date, Time/MicroTime/NanoTime, Timestamp/MicroTimestamp/NanoTimestamp); adaptive_time_microseconds, the same with every time in µs; connect, Kafka Connect's Date, Time and Timestamp (ms); microseconds, nanoseconds: times and timestamps in that unit",
    ),
  'binary.handling.mode': z
    .enum(['bytes', 'base64', 'base64-url-safe', 'hex'])
    .default('bytes')
    .describe('bytea columns: bytes, or a string of base64, URL-safe base64 or hex'),
  'interval.handling.mode': z
    .enum(['numeric', 'string'])
    .default('numeric')
    .describe(
      'interval columns: numeric, µs (io.debezium.time.MicroDuration, a month as 365.25 / 12 days); string, ISO 8601 (io.debezium.time.Interval, P1Y2M3DT4H5M6.78S)',
    ),
  'hstore.handling.mode': z
    .enum(['json', 'map'])
    .default('json')
    .describe("hstore columns: json, the pairs as a JSON object's text (io.debezium.data.Json); map, a map of string to optional string"),
  'include.unknown.datatypes': bool
    .default(false)
    .describe(
      "Keep columns of types Debezium has no mapping for (box, tsquery, a composite type …) as their text's bytes (per binary.handling.mode); false leaves them out",
    ),
  'money.fraction.digits': z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .default(2)
    .describe('The scale of a money column as a Decimal (decimal.handling.mode precise)'),
  'column.propagate.source.type': patterns.describe(
    'Columns (regular expressions of schema.table.column, comma separated) whose schema gets the source type as parameters __debezium.source.column.type, .length, .scale and .name, so a sink can create varchar(40) or numeric(20,6) exactly',
  ),
  'datatype.propagate.source.type': patterns.describe(
    'The same for every column of matching types (regular expressions of schema.table.type, e.g. .+\\.varchar)',
  ),
})

export type PostgresSourceConfig = z.infer<typeof postgresSourceConfig>

function isRegExp(source: string): boolean {
  try {
    new RegExp(source)
    return true
  } catch {
    return false
  }
}

/** What decides the schemas and values of the events. */
export function schemaSettings(config: PostgresSourceConfig): SchemaSettings {
  return {
    decimalMode: config['decimal.handling.mode'],
    timePrecisionMode: config['time.precision.mode'],
    binaryMode: config['binary.handling.mode'],
    intervalMode: config['interval.handling.mode'],
    hstoreMode: config['hstore.handling.mode'],
    includeUnknownDatatypes: config['include.unknown.datatypes'],
    moneyFractionDigits: config['money.fraction.digits'],
    propagateColumns: config['column.propagate.source.type'],
    propagateDatatypes: config['datatype.propagate.source.type'],
    placeholder: config['unavailable.value.placeholder'],
  }
}

/** `schema.table:col1,col2;…` → map of table → key columns. */
export function parseKeyColumns(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const entry of text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [table, columns] = entry.split(':')
    if (table && columns)
      map.set(
        table.trim(),
        columns
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean),
      )
  }
  return map
}
