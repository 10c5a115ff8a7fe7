/**
 * The MySQL/MariaDB column type auto.create and auto.evolve give a field of a typed record. The
 * field's schema name says what the value is (Decimal, MicroTimestamp, Enum …); the source type a
 * Debezium source propagates (`column.propagate.source.type`) refines it to the very type the source
 * had, so MySQL to MySQL keeps INT UNSIGNED, VARCHAR(20), DECIMAL(12,4), DATETIME(3), ENUM(…).
 * Other sources' fields get the closest type that holds their values exactly (PostgreSQL's
 * timestamptz: DATETIME(6) in UTC; its unbounded numeric: DECIMAL(65,30), the widest MySQL has).
 * Key columns must be indexable: text and bytes keys get VARCHAR/VARBINARY of a bounded length.
 */
import { escape as escapeSql } from 'mysql2'
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

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'INTEGER', 'BIGINT'])
const TEXT_TYPES = new Set(['TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT'])
const BLOB_TYPES = new Set(['TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB'])
/** utf8mb4 takes up to 4 bytes a character: VARCHAR holds at most 16,383 of them, a key at most 768 (3,072 bytes). */
const MAX_VARCHAR = 16_383
const MAX_KEY_CHARS = 768
const MAX_KEY_BYTES = 3072

const validLength = (length: number | undefined, max: number) => (length !== undefined && length >= 1 && length <= max ? length : undefined)

/** DECIMAL within MySQL's limits (precision ≤ 65, scale ≤ 30 and ≤ precision). */
function decimalType(precision: number | undefined, scale: number, unsigned = false): string {
  const s = Math.min(Math.max(scale, 0), 30)
  const p = Math.min(Math.max(precision ?? 65, s, 1) - Math.min(scale, 0), 65)
  return `DECIMAL(${p},${s})${unsigned ? ' UNSIGNED' : ''}`
}

function decimalColumn(schema: Schema, source: SourceColumn | undefined): string {
  if (source !== undefined && INTEGER_TYPES.has(source.type)) return integerType(source)
  if (isSourceType(source, 'DECIMAL', 'NUMERIC') && source?.length !== undefined && source.length > 0)
    return decimalType(source.length, source.scale ?? 0, source.unsigned)
  // PostgreSQL's money: ±92,233,720,368,547,758.07.
  if (isSourceType(source, 'MONEY')) return 'DECIMAL(19,2)'
  const precision = Number(schema.parameters?.[DECIMAL_PRECISION])
  return decimalType(Number.isInteger(precision) && precision > 0 ? precision : undefined, decimalScale(schema))
}

function integerType(source: SourceColumn): string {
  const width = source.length !== undefined && source.length >= 1 && source.length <= 255 ? `(${source.length})` : ''
  return `${source.type === 'INTEGER' ? 'INT' : source.type}${width}${source.unsigned ? ' UNSIGNED' : ''}`
}

/** Fractional digits of a TIME/DATETIME/TIMESTAMP: the source's, else what the event's unit carries. */
function fraction(schema: Schema, unitDigits: number): number {
  const digits = sourceFractionDigits(schema)
  return digits !== undefined ? Math.min(digits, 6) : unitDigits
}

function unitDigits(schema: Schema): number {
  return schema.name === TIME || schema.name === TIMESTAMP || schema.name === DebeziumNames.time || schema.name === DebeziumNames.timestamp
    ? 3
    : 6
}

function stringType(source: SourceColumn | undefined, isKey: boolean): string {
  const type = source?.type
  if (type !== undefined && (type === 'CHAR' || type === 'BPCHAR' || type === 'CHARACTER' || type === 'NCHAR')) {
    const length = validLength(source?.length, MAX_VARCHAR) ?? (type === 'BPCHAR' ? undefined : 1)
    if (length !== undefined && length <= 255) return `CHAR(${length})`
    if (length !== undefined) return `VARCHAR(${isKey ? Math.min(length, MAX_KEY_CHARS) : length})`
  }
  if (type !== undefined && ['VARCHAR', 'CHARACTER VARYING', 'NVARCHAR', 'VARCHAR2'].includes(type)) {
    const length = validLength(source?.length, MAX_VARCHAR)
    if (length !== undefined) return `VARCHAR(${isKey ? Math.min(length, MAX_KEY_CHARS) : length})`
  }
  if (isSourceType(source, 'DECIMAL', 'NUMERIC') && source?.length !== undefined && source.length > 0)
    return decimalType(source.length, source.scale ?? 0)
  if (isKey) return 'VARCHAR(255)'
  if (type !== undefined && TEXT_TYPES.has(type) && (type !== 'TEXT' || (source?.length ?? 0) <= 65_535)) return type
  return 'LONGTEXT'
}

function bytesType(source: SourceColumn | undefined, isKey: boolean): string {
  const type = source?.type
  if (type === 'BINARY' && validLength(source?.length, 255) !== undefined) return `BINARY(${source?.length})`
  if (type === 'VARBINARY' && validLength(source?.length, 65_532) !== undefined)
    return `VARBINARY(${isKey ? Math.min(source?.length as number, MAX_KEY_BYTES) : source?.length})`
  if (isKey) return 'VARBINARY(255)'
  if (type !== undefined && BLOB_TYPES.has(type)) return type
  return 'LONGBLOB'
}

/** ENUM('a','b') or SET(…) of the `allowed` values; text when there are none (or a SET member has a comma). */
function listType(kind: 'ENUM' | 'SET', schema: Schema, isKey: boolean): string {
  const allowed = schema.parameters?.allowed
  const members = allowed === undefined || allowed === '' ? [] : allowed.split(',')
  if (members.length === 0 || (kind === 'SET' && members.length > 64)) return isKey ? 'VARCHAR(255)' : 'LONGTEXT'
  return `${kind}(${members.map((member) => escapeSql(member)).join(',')})`
}

function bitsType(schema: Schema, source: SourceColumn | undefined, isKey: boolean): string {
  const length = source?.length ?? Number(schema.parameters?.length)
  if (Number.isInteger(length) && length >= 1 && length <= 64) return `BIT(${length})`
  return Number.isInteger(length) && length >= 1 && length <= 8 * 65_532
    ? `VARBINARY(${Math.ceil(length / 8)})`
    : bytesType(undefined, isKey)
}

/** The column type for a field of this schema. */
export function mysqlColumnType(schema: Schema, isKey = false): string {
  const source = sourceColumn(schema)
  switch (schema.name) {
    case DECIMAL:
      return decimalColumn(schema, source)
    case DebeziumNames.variableScaleDecimal:
      return isSourceType(source, 'MONEY') ? 'DECIMAL(19,2)' : 'DECIMAL(65,30)'
    case DATE:
    case DebeziumNames.date:
      return 'DATE'
    case TIME:
    case DebeziumNames.time:
    case DebeziumNames.microTime:
    case DebeziumNames.nanoTime:
      return `TIME(${fraction(schema, unitDigits(schema))})`
    case DebeziumNames.zonedTime:
      return `TIME(${fraction(schema, 6)})`
    case TIMESTAMP:
    case DebeziumNames.timestamp:
    case DebeziumNames.microTimestamp:
    case DebeziumNames.nanoTimestamp:
      return `DATETIME(${fraction(schema, unitDigits(schema))})`
    // MySQL's TIMESTAMP stays one; other zoned timestamps (PostgreSQL's timestamptz) are DATETIME in UTC, without TIMESTAMP's 1970-2038 limit.
    case DebeziumNames.zonedTimestamp:
      return `${isSourceType(source, 'TIMESTAMP') ? 'TIMESTAMP' : 'DATETIME'}(${fraction(schema, 6)})`
    // µs, as the event has them: MySQL has no interval type, and TIME stops at 838 hours.
    case DebeziumNames.microDuration:
      return 'BIGINT'
    case DebeziumNames.interval:
      return 'VARCHAR(64)'
    case DebeziumNames.year:
      return 'YEAR'
    case DebeziumNames.json:
      return isKey ? 'VARCHAR(255)' : 'JSON'
    case DebeziumNames.uuid:
      return 'CHAR(36)'
    case DebeziumNames.xml:
      return isKey ? 'VARCHAR(255)' : 'LONGTEXT'
    case DebeziumNames.enum:
      return listType('ENUM', schema, isKey)
    case DebeziumNames.enumSet:
      return listType('SET', schema, isKey)
    case DebeziumNames.bits:
      return bitsType(schema, source, isKey)
    case DebeziumNames.point:
      return 'POINT'
    default:
      break
  }
  switch (schema.type) {
    case 'int8':
      return source !== undefined && INTEGER_TYPES.has(source.type) ? integerType(source) : 'TINYINT'
    case 'int16':
      return source !== undefined && INTEGER_TYPES.has(source.type) ? integerType(source) : 'SMALLINT'
    case 'int32':
      return source !== undefined && INTEGER_TYPES.has(source.type) ? integerType(source) : 'INT'
    case 'int64':
      return source !== undefined && INTEGER_TYPES.has(source.type) ? integerType(source) : 'BIGINT'
    case 'float32':
      return 'FLOAT'
    case 'float64':
      return 'DOUBLE'
    case 'boolean':
      return isSourceType(source, 'BIT') ? 'BIT(1)' : 'BOOLEAN'
    case 'string':
      return stringType(source, isKey)
    case 'bytes':
      return bytesType(source, isKey)
    default:
      return isKey ? 'VARCHAR(255)' : 'JSON'
  }
}
