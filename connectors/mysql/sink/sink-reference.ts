/** The part of mysql-sink's reference page that is not its keys: column types and values of typed records. */
import { typedRecordsSection } from '../../sql-sink/type-examples.ts'
import { mysqlColumnType } from './sink-column-types.ts'

export const mysqlSinkReference = `${typedRecordsSection(mysqlColumnType, {
  sameDatabase:
    'MySQL to MySQL keeps the very type (`column_type` alike), and a PostgreSQL column gets the closest MySQL type that holds its values',
  columns: `Key columns are \`NOT NULL\` and indexable (text and bytes of at most 768 characters or 3,072
bytes); the others say \`NULL\`. Records without a schema are as before: types inferred from the values
(see connectors/mysql/README.md).`,
})}
Values are written exactly: a Decimal as its digits, ms/µs/ns times and timestamps in integer
arithmetic (\`TIME\` may be negative or past 24 hours), zoned values in UTC (the session's zone),
bytes as hex, Bits as a bit literal (\`BIT(n)\`) or big-endian bytes (beyond 64 bits), Json as its own
text, arrays, structs and maps as JSON, a Point as \`POINT(x, y)\`.

What MySQL cannot hold: an unbounded numeric is \`DECIMAL(65,30)\` (more than 35 integer digits is
refused, more than 30 fraction digits rounded); an interval has no MySQL type, so a MicroDuration is
its µs in a \`BIGINT\` and an \`Interval\` its ISO-8601 text; \`TIME\`, \`DATETIME\` and \`TIMESTAMP\` keep 6
fractional digits (a NanoTimestamp is cut to µs) and no years before 1 (\`TIMESTAMP\` holds 1970-2038
only, so zoned timestamps of other sources are \`DATETIME\` in UTC); a MySQL source's \`TIME\`, \`DATETIME\` or
\`TIMESTAMP\` without a length has no fraction; without a propagated source type at all, a time gets the
digits of the event's unit (\`time.Timestamp\`: 3, \`time.MicroTimestamp\`: 6). MariaDB's JSON comes as
a LONGTEXT (Debezium knows no better), so it is created as one, without the JSON check.
`
