/** The part of postgres-sink's reference page that is not its keys: column types and values of typed records. */
import { typedRecordsSection } from '../../sql-sink/type-examples.ts'
import { pgColumnType } from './sink-column-types.ts'

export const postgresSinkReference = `${typedRecordsSection(pgColumnType, {
  sameDatabase: 'PostgreSQL to PostgreSQL keeps the very type (`format_type` alike)',
  columns: `Key columns are \`NOT NULL\`; the others take NULL, even for a required field, so a row that leaves
out an unchanged TOASTed value is not refused. Records without a schema are as before: types inferred
from the values (boolean → \`boolean\`, integer → \`bigint\`, fraction → \`double precision\`, object or
array → \`jsonb\`, anything else → \`text\`).`,
})}
Values are written exactly: a Decimal as its digits, a VariableScaleDecimal from its scale and
unscaled bytes, ms/µs/ns times and timestamps in integer arithmetic (six fractional digits, dates
before year 1 as \`BC\`, Debezium's ±infinity timestamps as \`infinity\`), zoned values as their ISO
text, bytes as bytea, Bits as a bit string (a \`bit varying\` without leading zeros, which the event
does not keep), arrays as arrays (their elements converted as their schema says), structs and maps
as JSON, a Point as \`(x,y)\`.

Not kept by the event itself: a MicroDuration is µs (Debezium counts a month as 30.4375 days), so it
is written as hours, minutes and seconds (\`1 mon\` becomes \`730:30:00\`); with
\`interval.handling.mode=string\` (\`time.Interval\`) the interval keeps its months and days. A
ZonedTime (timetz) comes in UTC, so \`23:59:59-05\` is stored as \`04:59:59+00\`, the same instant of
the day. A NanoTimestamp or NanoTime is cut to µs. An enum of the source is \`text\` here (PostgreSQL
enum types are not created); create the table first to keep one. From MySQL, a \`TIME\` beyond a day
or below zero does not fit \`time\`: that record is refused (to the error policy); MariaDB's JSON comes
as a LONGTEXT, so \`text\`. A string written into an existing \`json\` or \`jsonb\` column is the JSON
it holds when it is JSON text (MariaDB's JSON, say), otherwise a JSON string.
`
