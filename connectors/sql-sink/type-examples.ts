/**
 * The field schemas each SQL sink's reference page shows with the column type it creates for them:
 * the table is made by running the sink's own mapping on these, so the docs say what the code does.
 */
import { Debezium, DebeziumNames, Logical, Schemas, withOptions, type Schema } from '../../core/runtime/plugin.ts'

export interface TypeExample {
  /** Where fields like this come from: the table's sections. */
  readonly group: string
  /** The field's schema, as the table shows it. */
  readonly field: string
  /** The propagated source column, as the table shows it ('' when none: the group's table then has no such column). */
  readonly source: string
  readonly schema: Schema
  readonly isKey?: boolean
}

function propagated(type: string, length?: number, scale?: number): Record<string, string> {
  return {
    '__debezium.source.column.type': type,
    ...(length !== undefined && { '__debezium.source.column.length': String(length) }),
    ...(scale !== undefined && { '__debezium.source.column.scale': String(scale) }),
  }
}

const from = (schema: Schema, type: string, length?: number, scale?: number) =>
  withOptions(schema, { parameters: { ...schema.parameters, ...propagated(type, length, scale) } })
const point = Schemas.struct(
  [
    ['x', Schemas.float64()],
    ['y', Schemas.float64()],
    ['wkb', Schemas.bytes({ optional: true })],
    ['srid', Schemas.int32({ optional: true })],
  ],
  { name: DebeziumNames.point, version: 1 },
)
const CONNECT = 'Connect and Debezium schemas, without a source type'
const POSTGRES = 'With the source type a Debezium PostgreSQL source propagates (length and scale as its JDBC driver reports them)'
const MYSQL = 'With the source type a Debezium MySQL source propagates (length and scale as the DDL declares them)'
const code = (text: string) => `\`${text}\``
const name = (full: string) => code(full.replace('org.apache.kafka.connect.data.', '').replace('io.debezium.', ''))

export const TYPE_EXAMPLES: readonly TypeExample[] = [
  { group: CONNECT, field: '`int8`', source: '', schema: Schemas.int8() },
  { group: CONNECT, field: '`int16`', source: '', schema: Schemas.int16() },
  { group: CONNECT, field: '`int32`', source: '', schema: Schemas.int32() },
  { group: CONNECT, field: '`int64`', source: '', schema: Schemas.int64() },
  { group: CONNECT, field: '`float32`', source: '', schema: Schemas.float32() },
  { group: CONNECT, field: '`float64`', source: '', schema: Schemas.float64() },
  { group: CONNECT, field: '`boolean`', source: '', schema: Schemas.boolean() },
  { group: CONNECT, field: '`string`', source: '', schema: Schemas.string() },
  { group: CONNECT, field: '`string`, key column', source: '', schema: Schemas.string(), isKey: true },
  { group: CONNECT, field: '`bytes`', source: '', schema: Schemas.bytes() },
  { group: CONNECT, field: '`bytes`, key column', source: '', schema: Schemas.bytes(), isKey: true },
  { group: CONNECT, field: '`array` of `int32`', source: '', schema: Schemas.array(Schemas.int32()) },
  { group: CONNECT, field: '`array` of `string`', source: '', schema: Schemas.array(Schemas.string({ optional: true })) },
  { group: CONNECT, field: '`struct`, `map`', source: '', schema: Schemas.struct([['a', Schemas.int32()]]) },
  { group: CONNECT, field: '`Decimal` (scale 2, `connect.decimal.precision` 10)', source: '', schema: Logical.decimal(2, 10) },
  { group: CONNECT, field: '`Decimal` (scale 2, no precision)', source: '', schema: Logical.decimal(2) },
  { group: CONNECT, field: name(Logical.date().name as string), source: '', schema: Logical.date() },
  { group: CONNECT, field: name(Logical.time().name as string), source: '', schema: Logical.time() },
  { group: CONNECT, field: name(Logical.timestamp().name as string), source: '', schema: Logical.timestamp() },
  ...[
    Debezium.variableScaleDecimal,
    Debezium.date,
    Debezium.time,
    Debezium.microTime,
    Debezium.nanoTime,
    Debezium.timestamp,
    Debezium.microTimestamp,
    Debezium.nanoTimestamp,
    Debezium.zonedTimestamp,
    Debezium.zonedTime,
    Debezium.microDuration,
    Debezium.interval,
    Debezium.year,
    Debezium.json,
    Debezium.uuid,
    Debezium.xml,
  ].map((schema) => ({ group: CONNECT, field: name(schema.name as string), source: '', schema })),
  { group: CONNECT, field: '`data.Enum` (allowed `a,b`)', source: '', schema: Debezium.enum(['a', 'b']) },
  { group: CONNECT, field: '`data.EnumSet` (allowed `a,b`)', source: '', schema: Debezium.enumSet(['a', 'b']) },
  { group: CONNECT, field: '`data.Bits` (length 5)', source: '', schema: Debezium.bits(5) },
  { group: CONNECT, field: '`data.geometry.Point`', source: '', schema: point },
  { group: POSTGRES, field: '`int16`', source: '`INT2`', schema: from(Schemas.int16(), 'INT2', 5, 0) },
  { group: POSTGRES, field: '`string`', source: '`VARCHAR`, length 20', schema: from(Schemas.string(), 'VARCHAR', 20, 0) },
  { group: POSTGRES, field: '`string`', source: '`BPCHAR`, length 5', schema: from(Schemas.string(), 'BPCHAR', 5, 0) },
  { group: POSTGRES, field: '`string`', source: '`TEXT`, length 2147483647', schema: from(Schemas.string(), 'TEXT', 2_147_483_647, 0) },
  { group: POSTGRES, field: '`Decimal`', source: '`NUMERIC`, length 12, scale 4', schema: from(Logical.decimal(4, 12), 'NUMERIC', 12, 4) },
  {
    group: POSTGRES,
    field: '`data.VariableScaleDecimal`',
    source: '`NUMERIC`, length 131089',
    schema: from(Debezium.variableScaleDecimal, 'NUMERIC', 131_089, 0),
  },
  { group: POSTGRES, field: '`Decimal` (scale 2)', source: '`MONEY`', schema: from(Logical.decimal(2), 'MONEY', 2_147_483_647, 2) },
  { group: POSTGRES, field: '`time.Timestamp`', source: '`TIMESTAMP`, scale 3', schema: from(Debezium.timestamp, 'TIMESTAMP', 26, 3) },
  {
    group: POSTGRES,
    field: '`time.MicroTimestamp`',
    source: '`TIMESTAMP`, scale 6',
    schema: from(Debezium.microTimestamp, 'TIMESTAMP', 29, 6),
  },
  {
    group: POSTGRES,
    field: '`time.ZonedTimestamp`',
    source: '`TIMESTAMPTZ`, scale 6',
    schema: from(Debezium.zonedTimestamp, 'TIMESTAMPTZ', 35, 6),
  },
  { group: POSTGRES, field: '`time.Time`', source: '`TIME`, scale 3', schema: from(Debezium.time, 'TIME', 12, 3) },
  { group: POSTGRES, field: '`time.ZonedTime`', source: '`TIMETZ`, scale 6', schema: from(Debezium.zonedTime, 'TIMETZ', 21, 6) },
  { group: POSTGRES, field: '`data.Json`', source: '`JSON`', schema: from(Debezium.json, 'JSON') },
  { group: POSTGRES, field: '`data.Json`', source: '`JSONB`', schema: from(Debezium.json, 'JSONB') },
  { group: POSTGRES, field: '`array` of `int32`', source: '`_INT4`', schema: from(Schemas.array(Schemas.int32()), '_INT4', 10, 0) },
  { group: POSTGRES, field: '`array` of `string`', source: '`_VARCHAR`', schema: from(Schemas.array(Schemas.string()), '_VARCHAR') },
  {
    group: POSTGRES,
    field: '`string`',
    source: '`INET` (also `CIDR`, `MACADDR`, ranges, geometric types)',
    schema: from(Schemas.string(), 'INET'),
  },
  { group: POSTGRES, field: '`data.Bits` (length 8)', source: '`VARBIT`, length 8', schema: from(Debezium.bits(8), 'VARBIT', 8, 0) },
  { group: POSTGRES, field: '`boolean`', source: '`BIT`, length 1', schema: from(Schemas.boolean(), 'BIT', 1, 0) },
  {
    group: POSTGRES,
    field: '`data.Enum` (allowed `happy,sad`)',
    source: 'an enum type',
    schema: from(Debezium.enum(['happy', 'sad']), 'MOOD'),
  },
  { group: MYSQL, field: '`int16`', source: '`TINYINT`', schema: from(Schemas.int16(), 'TINYINT') },
  { group: MYSQL, field: '`int16`', source: '`TINYINT`, length 1', schema: from(Schemas.int16(), 'TINYINT', 1) },
  { group: MYSQL, field: '`int32`', source: '`MEDIUMINT`', schema: from(Schemas.int32(), 'MEDIUMINT') },
  { group: MYSQL, field: '`int64`', source: '`INT UNSIGNED`', schema: from(Schemas.int64(), 'INT UNSIGNED') },
  {
    group: MYSQL,
    field: '`Decimal` (scale 0, precision 20)',
    source: '`BIGINT UNSIGNED`',
    schema: from(Logical.decimal(0, 20), 'BIGINT UNSIGNED'),
  },
  { group: MYSQL, field: '`Decimal`', source: '`DECIMAL`, length 30, scale 10', schema: from(Logical.decimal(10, 30), 'DECIMAL', 30, 10) },
  { group: MYSQL, field: '`string`', source: '`CHAR`, length 3', schema: from(Schemas.string(), 'CHAR', 3) },
  { group: MYSQL, field: '`string`', source: '`VARCHAR`, length 60', schema: from(Schemas.string(), 'VARCHAR', 60) },
  { group: MYSQL, field: '`string`', source: '`TEXT`', schema: from(Schemas.string(), 'TEXT') },
  { group: MYSQL, field: '`string`', source: '`MEDIUMTEXT`', schema: from(Schemas.string(), 'MEDIUMTEXT') },
  { group: MYSQL, field: '`bytes`', source: '`BINARY`, length 4', schema: from(Schemas.bytes(), 'BINARY', 4) },
  { group: MYSQL, field: '`bytes`', source: '`VARBINARY`, length 10', schema: from(Schemas.bytes(), 'VARBINARY', 10) },
  { group: MYSQL, field: '`bytes`', source: '`BLOB`', schema: from(Schemas.bytes(), 'BLOB') },
  { group: MYSQL, field: '`time.MicroTime`', source: '`TIME`, length 6', schema: from(Debezium.microTime, 'TIME', 6) },
  { group: MYSQL, field: '`time.MicroTime`', source: '`TIME` (no length: no fraction)', schema: from(Debezium.microTime, 'TIME') },
  { group: MYSQL, field: '`time.Timestamp`', source: '`DATETIME`, length 3', schema: from(Debezium.timestamp, 'DATETIME', 3) },
  { group: MYSQL, field: '`time.MicroTimestamp`', source: '`DATETIME`, length 6', schema: from(Debezium.microTimestamp, 'DATETIME', 6) },
  { group: MYSQL, field: '`time.Timestamp`', source: '`DATETIME` (no length: no fraction)', schema: from(Debezium.timestamp, 'DATETIME') },
  { group: MYSQL, field: '`time.ZonedTimestamp`', source: '`TIMESTAMP`, length 3', schema: from(Debezium.zonedTimestamp, 'TIMESTAMP', 3) },
  { group: MYSQL, field: '`time.Year`', source: '`YEAR`', schema: from(Debezium.year, 'YEAR') },
  { group: MYSQL, field: '`data.Enum` (allowed `a,b c`)', source: '`ENUM`', schema: from(Debezium.enum(['a', 'b c']), 'ENUM') },
  { group: MYSQL, field: '`data.EnumSet` (allowed `x,y`)', source: '`SET`', schema: from(Debezium.enumSet(['x', 'y']), 'SET') },
  { group: MYSQL, field: '`data.Bits` (length 10)', source: '`BIT`, length 10', schema: from(Debezium.bits(10), 'BIT', 10) },
  { group: MYSQL, field: '`data.geometry.Point`', source: '`POINT`', schema: from(point, 'POINT') },
]

/** The examples as Markdown tables, one per group, with the column type `columnType` gives each. */
export function typeTable(columnType: (schema: Schema, isKey: boolean) => string): string {
  const groups = [...new Set(TYPE_EXAMPLES.map((example) => example.group))]
  return groups
    .map((group) => {
      const examples = TYPE_EXAMPLES.filter((example) => example.group === group)
      const withSource = examples.some((example) => example.source !== '')
      const rows = examples.map(
        (example) =>
          `| ${example.field} | ${withSource ? `${example.source} | ` : ''}${code(columnType(example.schema, example.isKey ?? false))} |`,
      )
      const head = withSource
        ? ['| field schema | propagated source type | column |', '|---|---|---|']
        : ['| field schema | column |', '|---|---|']
      return [`${group}:`, '', ...head, ...rows].join('\n')
    })
    .join('\n\n')
}

/** How a sink's own database is told apart when the source is the same kind, and what its key columns are. */
export interface TypedRecordsText {
  /** "PostgreSQL to PostgreSQL keeps the very type (`format_type` alike)", and whatever follows in that sentence. */
  readonly sameDatabase: string
  /** The sentences on key and other columns, and on records without a schema. */
  readonly columns: string
}

/** The "Typed records" section both SQL sinks open with, then their type table. */
export function typedRecordsSection(columnType: (schema: Schema, isKey: boolean) => string, text: TypedRecordsText): string {
  return `
## Typed records

A record with a schema (a source that sends schemas, or \`value.converter.schemas.enable=true\` for
JsonConverter's \`{"schema", "payload"}\` records) is written as its schema says. \`auto.create\` and
\`auto.evolve\` give each field (of an envelope's \`after\`, or of a flat record) the column type below;
a Debezium source with \`column.propagate.source.type\` (or \`datatype.propagate.source.type\`) also
sends each column's own type, length and scale (\`__debezium.source.column.type\`, \`.length\`,
\`.scale\`), so ${text.sameDatabase}.
${text.columns}

${typeTable(columnType)}
`
}
