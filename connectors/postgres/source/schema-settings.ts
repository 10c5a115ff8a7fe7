/**
 * The settings that decide how columns map to schemas and values, under Debezium's names and with
 * its defaults (config.ts): plain data, so a snapshot thread gets them as they are.
 */

export interface SchemaSettings {
  /** decimal.handling.mode */
  readonly decimalMode: 'precise' | 'double' | 'string'
  /** time.precision.mode */
  readonly timePrecisionMode: 'adaptive' | 'adaptive_time_microseconds' | 'connect' | 'microseconds' | 'nanoseconds'
  /** binary.handling.mode */
  readonly binaryMode: 'bytes' | 'base64' | 'base64-url-safe' | 'hex'
  /** interval.handling.mode */
  readonly intervalMode: 'numeric' | 'string'
  /** hstore.handling.mode */
  readonly hstoreMode: 'json' | 'map'
  /** include.unknown.datatypes */
  readonly includeUnknownDatatypes: boolean
  /** money.fraction.digits */
  readonly moneyFractionDigits: number
  /** column.propagate.source.type: regular expressions of `schema.table.column`. */
  readonly propagateColumns: readonly string[]
  /** datatype.propagate.source.type: regular expressions of type names (`varchar`, `numeric`). */
  readonly propagateDatatypes: readonly string[]
  /** unavailable.value.placeholder */
  readonly placeholder: string
}

export const DEFAULT_SCHEMA_SETTINGS: SchemaSettings = {
  decimalMode: 'precise',
  timePrecisionMode: 'adaptive',
  binaryMode: 'bytes',
  intervalMode: 'numeric',
  hstoreMode: 'json',
  includeUnknownDatatypes: false,
  moneyFractionDigits: 2,
  propagateColumns: [],
  propagateDatatypes: [],
  placeholder: '__debezium_unavailable_value',
}
