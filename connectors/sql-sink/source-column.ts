/**
 * The source column a field came from, as a Debezium source with `column.propagate.source.type` puts
 * it in the field's schema parameters (`__debezium.source.column.type`, `.length`, `.scale`). The
 * Connect type alone says "string" or "int64"; these say VARCHAR(20), NUMERIC(10,2), INT UNSIGNED,
 * TIMESTAMP(3), so a sink can create the very type the source had.
 */
import type { Schema } from '../../core/runtime/plugin.ts'

export interface SourceColumn {
  /** Upper case, without UNSIGNED/ZEROFILL: `VARCHAR`, `INT4`, `_INT4` (a PostgreSQL array), `TIMESTAMPTZ`. */
  readonly type: string
  readonly unsigned: boolean
  /** Length, precision or fractional digits, as the source reports it; absent when it reports none. */
  readonly length: number | undefined
  readonly scale: number | undefined
}

const TYPE = '__debezium.source.column.type'
const LENGTH = '__debezium.source.column.length'
const SCALE = '__debezium.source.column.scale'

const sourceColumns = new WeakMap<Schema, SourceColumn | null>()

function whole(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return undefined
  return Number(text)
}

/** The propagated source column of a field, or undefined when the source did not propagate it. */
export function sourceColumn(schema: Schema): SourceColumn | undefined {
  let column = sourceColumns.get(schema)
  if (column === undefined) {
    const parameters = schema.parameters
    const type = parameters?.[TYPE]?.trim().toUpperCase()
    if (type === undefined || type === '') column = null
    else {
      const words = type.split(/\s+/)
      const unsigned = words.includes('UNSIGNED')
      const base = words.filter((word) => word !== 'UNSIGNED' && word !== 'ZEROFILL').join(' ')
      column = { type: base, unsigned, length: whole(parameters?.[LENGTH]), scale: whole(parameters?.[SCALE]) }
    }
    sourceColumns.set(schema, column)
  }
  return column ?? undefined
}

/** Whether the source type is one of `types`. */
export function isSourceType(column: SourceColumn | undefined, ...types: string[]): boolean {
  return column !== undefined && types.includes(column.type)
}

/** MySQL's temporal types, which declare their fractional digits as a length, and none when they have none. */
const MYSQL_TEMPORAL = new Set(['TIME', 'DATETIME', 'TIMESTAMP'])

/**
 * A time or timestamp column's fractional digits: PostgreSQL sources report them as the scale
 * (TIMESTAMP(3): scale 3, and 6 when none was declared; they always send a length and a scale),
 * MySQL sources as the length (DATETIME(3): length 3; a plain DATETIME has none: 0 digits).
 * Undefined when the source said nothing usable.
 */
export function sourceFractionDigits(schema: Schema): number | undefined {
  const column = sourceColumn(schema)
  if (column === undefined) return undefined
  if (column.length === undefined && column.scale === undefined) return MYSQL_TEMPORAL.has(column.type) ? 0 : undefined
  const digits = column.scale ?? column.length
  return digits !== undefined && digits >= 0 && digits <= 9 ? digits : undefined
}
