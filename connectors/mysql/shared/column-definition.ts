/**
 * What the connector knows of one column beyond its name: its type as the server declares it
 * (information_schema.COLUMNS: data type, COLUMN_TYPE with its length, scale, fractional seconds,
 * UNSIGNED and ENUM/SET values), nullability and default. These facts decide the column's Connect
 * schema and how a value becomes that schema's value (source/column-mapping.ts), as Debezium's
 * MySQL and MariaDB connectors derive them from the DDL. A plain object, so the schema history
 * stores it.
 */

export interface ColumnDefinition {
  /** DATA_TYPE, lower case: `int`, `varchar`, `enum`, `datetime` … */
  readonly dataType: string
  /** COLUMN_TYPE: `int(10) unsigned`, `enum('a','b')`, `decimal(20,6)` … */
  readonly columnType: string
  readonly unsigned: boolean
  /** The declared length, precision or display width; null where the type has none. */
  readonly length: number | null
  /** A DECIMAL's scale. */
  readonly scale: number | null
  /** Fractional-second digits of TIME, DATETIME and TIMESTAMP. */
  readonly fsp: number
  readonly optional: boolean
  /** COLUMN_DEFAULT as the server reports it (MariaDB: an SQL expression, `'x'`, `7`, `NULL`, `current_timestamp()`). */
  readonly defaultText: string | null
  /** The default is an expression (MySQL marks these DEFAULT_GENERATED), not a literal. */
  readonly defaultIsExpression: boolean
  /** MariaDB's JSON: LONGTEXT with a json_valid() check. */
  readonly isMariaDbJson: boolean
  /** ENUM and SET: the allowed values in order. */
  readonly allowed: readonly string[]
}

/** A row of information_schema.COLUMNS, as catalog.ts selects it. */
export interface ColumnRow {
  readonly dataType: string
  readonly columnType: string
  readonly nullable: string
  readonly columnDefault: string | null
  readonly extra: string | null
  readonly isJson: number | string
}

/** The values of `enum('a','b''c')`: quoted, '' for a quote. */
function allowedValues(columnType: string): string[] {
  const inner = /^(?:enum|set)\((.*)\)$/is.exec(columnType)?.[1]
  if (inner === undefined) return []
  const values: string[] = []
  const pattern = /'((?:[^']|'')*)'/g
  for (let match = pattern.exec(inner); match !== null; match = pattern.exec(inner))
    values.push((match[1] as string).replace(/''/g, "'").replace(/\\\\/g, '\\'))
  return values
}

const TEMPORAL = new Set(['time', 'datetime', 'timestamp'])

export function columnDefinition(row: ColumnRow, isMariaDb: boolean): ColumnDefinition {
  const dataType = row.dataType.toLowerCase()
  const columnType = row.columnType
  const sizes = /^\w+\((\d+)(?:,(\d+))?\)/.exec(columnType)
  const first = sizes?.[1] === undefined ? null : Number(sizes[1])
  const second = sizes?.[2] === undefined ? null : Number(sizes[2])
  const allowed = dataType === 'enum' || dataType === 'set' ? allowedValues(columnType) : []
  // MySQL reports an expression default's text bare and flags it; MariaDB quotes literals instead.
  const extra = (row.extra ?? '').toUpperCase()
  const defaultIsExpression = isMariaDb
    ? row.columnDefault !== null && row.columnDefault !== 'NULL' && !/^'|^-?[\d.]+(e[+-]?\d+)?$|^b'/i.test(row.columnDefault)
    : extra.includes('DEFAULT_GENERATED') ||
      (row.columnDefault !== null && /^current_timestamp/i.test(row.columnDefault) && TEMPORAL.has(dataType))
  return {
    dataType,
    columnType,
    unsigned: /\bunsigned\b/i.test(columnType),
    length: TEMPORAL.has(dataType) ? null : first,
    scale: dataType === 'decimal' || dataType === 'numeric' ? (second ?? 0) : null,
    fsp: TEMPORAL.has(dataType) ? (first ?? 0) : 0,
    optional: row.nullable.toUpperCase() === 'YES',
    defaultText: row.columnDefault,
    defaultIsExpression,
    isMariaDbJson: Number(row.isJson) === 1,
    allowed,
  }
}

/**
 * A column known only from a binlog table map (a schema history recorded before definitions were
 * kept): its type from the binlog's type code, optional, with no default.
 */
export function binlogDefinition(dataType: string, width: number | null): ColumnDefinition {
  return {
    dataType,
    columnType: dataType,
    unsigned: false,
    length: TEMPORAL.has(dataType) ? null : width,
    scale: null,
    fsp: TEMPORAL.has(dataType) ? (width ?? 0) : 0,
    optional: true,
    defaultText: null,
    defaultIsExpression: false,
    isMariaDbJson: false,
    allowed: [],
  }
}
