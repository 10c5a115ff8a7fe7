/**
 * The PostgreSQL column type auto.create and auto.evolve give a field of a typed record. The field's
 * schema name says what the value is (Decimal, MicroTimestamp, Uuid …); the source type a Debezium
 * source propagates (`column.propagate.source.type`) refines it to the very type the source had, so
 * PostgreSQL to PostgreSQL keeps varchar(20), numeric(10,2), timestamptz(3), int4[]. Without one,
 * each schema gets the type that holds its values exactly.
 */
import {
  DATE,
  DECIMAL,
  DECIMAL_PRECISION,
  DebeziumNames,
  TIME,
  TIMESTAMP,
  decimalScale,
  type Schema,
} from '../../../core/runtime/plugin.ts'
import { isSourceType, sourceColumn, sourceFractionDigits, type SourceColumn } from '../../sql-sink/source-column.ts'

/** PostgreSQL's own types whose values Debezium sends as text: recreated as they are. */
const TEXT_FORM_TYPES = new Set([
  'INET',
  'CIDR',
  'MACADDR',
  'MACADDR8',
  'TSVECTOR',
  'TSQUERY',
  'INT4RANGE',
  'INT8RANGE',
  'NUMRANGE',
  'TSRANGE',
  'TSTZRANGE',
  'DATERANGE',
  'LINE',
  'LSEG',
  'BOX',
  'PATH',
  'POLYGON',
  'CIRCLE',
  'PG_LSN',
  'MONEY',
  'XML',
  'JSON',
  'JSONB',
  'UUID',
])

/** Array element types by their PostgreSQL name (`_int4` → `integer[]`). */
const ELEMENT_TYPES: Readonly<Record<string, string>> = {
  INT2: 'smallint',
  INT4: 'integer',
  INT8: 'bigint',
  FLOAT4: 'real',
  FLOAT8: 'double precision',
  BOOL: 'boolean',
  TEXT: 'text',
  NUMERIC: 'numeric',
  DATE: 'date',
  TIME: 'time',
  TIMETZ: 'timetz',
  TIMESTAMP: 'timestamp',
  TIMESTAMPTZ: 'timestamptz',
  INTERVAL: 'interval',
  BYTEA: 'bytea',
  VARCHAR: 'varchar',
  BPCHAR: 'bpchar',
  OID: 'oid',
  ...Object.fromEntries([...TEXT_FORM_TYPES].map((t) => [t, t.toLowerCase()])),
}

const MAX_CHAR_LENGTH = 10_485_760
const MAX_NUMERIC_PRECISION = 1000
const MAX_BIT_LENGTH = 83_886_080

/** `time`, `timestamp(3)` …: the source's fractional digits when fewer than the 6 PostgreSQL keeps anyway. */
function withFraction(type: string, schema: Schema, suffix = ''): string {
  const digits = sourceFractionDigits(schema)
  return digits !== undefined && digits < 6 ? `${type}(${digits})${suffix}` : `${type}${suffix}`
}

function numericType(precision: number | undefined, scale: number | undefined): string {
  if (precision === undefined || precision < 1 || precision > MAX_NUMERIC_PRECISION) return 'numeric'
  const s = scale ?? 0
  return s >= -MAX_NUMERIC_PRECISION && s <= MAX_NUMERIC_PRECISION ? `numeric(${precision},${s})` : 'numeric'
}

function decimalType(schema: Schema, source: SourceColumn | undefined): string {
  if (isSourceType(source, 'MONEY')) return 'money'
  if (isSourceType(source, 'NUMERIC', 'DECIMAL')) return numericType(source?.length, source?.scale)
  const precision = schema.parameters?.[DECIMAL_PRECISION]
  return precision === undefined ? 'numeric' : numericType(Number(precision), decimalScale(schema))
}

function textType(source: SourceColumn | undefined): string {
  if (source === undefined) return 'text'
  const length = source.length !== undefined && source.length >= 1 && source.length <= MAX_CHAR_LENGTH ? source.length : undefined
  if (isSourceType(source, 'VARCHAR', 'CHARACTER VARYING', 'NVARCHAR', 'VARCHAR2'))
    return length === undefined ? 'varchar' : `varchar(${length})`
  // MySQL reports no length for CHAR(1); PostgreSQL none for an unlimited bpchar.
  if (isSourceType(source, 'BPCHAR')) return length === undefined ? 'bpchar' : `char(${length})`
  if (isSourceType(source, 'CHAR', 'CHARACTER', 'NCHAR')) return `char(${length ?? 1})`
  if (isSourceType(source, 'NUMERIC', 'DECIMAL')) return numericType(source?.length, source?.scale)
  if (TEXT_FORM_TYPES.has(source.type)) return source.type.toLowerCase()
  return 'text'
}

function bitsType(schema: Schema, source: SourceColumn | undefined): string {
  const length = source?.length ?? Number(schema.parameters?.length)
  const known = Number.isInteger(length) && length >= 1 && length <= MAX_BIT_LENGTH
  if (isSourceType(source, 'VARBIT', 'BIT VARYING')) return known ? `bit varying(${length})` : 'bit varying'
  return known ? `bit(${length})` : 'bit varying'
}

function arrayType(schema: Schema, source: SourceColumn | undefined): string {
  if (source?.type.startsWith('_')) {
    const element = source.type.slice(1)
    if (element === 'NUMERIC') return `${numericType(source.length, source.scale)}[]`
    if (element === 'VARCHAR' || element === 'BPCHAR') return `${textType({ ...source, type: element })}[]`
    const known = ELEMENT_TYPES[element]
    if (known !== undefined) return `${known}[]`
    return 'text[]'
  }
  const items = schema.valueSchema as Schema
  if (items.type === 'struct' && items.name !== DebeziumNames.variableScaleDecimal && items.name !== DebeziumNames.point) return 'jsonb'
  if (items.type === 'map') return 'jsonb'
  const element = pgColumnType(items)
  return element.endsWith('[]') ? element : `${element}[]`
}

/** The column type for a field of this schema. */
export function pgColumnType(schema: Schema): string {
  const source = sourceColumn(schema)
  switch (schema.name) {
    case DECIMAL:
      return decimalType(schema, source)
    case DebeziumNames.variableScaleDecimal:
      return isSourceType(source, 'MONEY') ? 'money' : 'numeric'
    case DATE:
    case DebeziumNames.date:
      return 'date'
    case TIME:
    case DebeziumNames.time:
    case DebeziumNames.microTime:
    case DebeziumNames.nanoTime:
      return withFraction('time', schema)
    case DebeziumNames.zonedTime:
      return withFraction('time', schema, ' with time zone')
    case TIMESTAMP:
    case DebeziumNames.timestamp:
    case DebeziumNames.microTimestamp:
    case DebeziumNames.nanoTimestamp:
      return withFraction('timestamp', schema)
    case DebeziumNames.zonedTimestamp:
      return withFraction('timestamp', schema, ' with time zone')
    case DebeziumNames.microDuration:
    case DebeziumNames.interval:
      return withFraction('interval', schema)
    case DebeziumNames.year:
      return 'integer'
    case DebeziumNames.json:
      return isSourceType(source, 'JSON') ? 'json' : 'jsonb'
    case DebeziumNames.uuid:
      return 'uuid'
    case DebeziumNames.xml:
      return 'xml'
    case DebeziumNames.enum:
    case DebeziumNames.enumSet:
      return 'text'
    case DebeziumNames.bits:
      return bitsType(schema, source)
    case DebeziumNames.point:
      return 'point'
    default:
      break
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
      return 'smallint'
    case 'int32':
      return 'integer'
    case 'int64':
      return isSourceType(source, 'OID') ? 'oid' : 'bigint'
    case 'float32':
      return 'real'
    case 'float64':
      return isSourceType(source, 'MONEY') ? 'money' : 'double precision'
    case 'boolean':
      return isSourceType(source, 'BIT') ? 'bit(1)' : 'boolean'
    case 'string':
      return textType(source)
    case 'bytes':
      return 'bytea'
    case 'array':
      return arrayType(schema, source)
    default:
      return 'jsonb'
  }
}
