/**
 * The settings that decide how MySQL/MariaDB columns map to schemas and values, under Debezium's
 * names and with its defaults (config.ts), plus which flavour of server the events come from.
 */

export interface SchemaSettings {
  /** decimal.handling.mode */
  readonly decimalMode: 'precise' | 'double' | 'string'
  /** time.precision.mode */
  readonly timePrecisionMode: 'adaptive_time_microseconds' | 'connect'
  /** binary.handling.mode */
  readonly binaryMode: 'bytes' | 'base64' | 'base64-url-safe' | 'hex'
  /** bigint.unsigned.handling.mode */
  readonly bigintUnsignedMode: 'long' | 'precise'
  /** column.propagate.source.type: regular expressions of `database.table.column`. */
  readonly propagateColumns: readonly string[]
  /** datatype.propagate.source.type: regular expressions of `database.table.type`. */
  readonly propagateDatatypes: readonly string[]
  /** MariaDB: JSON is LONGTEXT, and the source block says `mariadb`. */
  readonly isMariaDb: boolean
}

export const DEFAULT_SCHEMA_SETTINGS: SchemaSettings = {
  decimalMode: 'precise',
  timePrecisionMode: 'adaptive_time_microseconds',
  binaryMode: 'bytes',
  bigintUnsignedMode: 'long',
  propagateColumns: [],
  propagateDatatypes: [],
  isMariaDb: true,
}
