/**
 * The sink's MySQL/MariaDB tables: each column's kind from information_schema (the catalog the
 * source reads too, shared/catalog.ts, which also knows MariaDB's JSON, a LONGTEXT with a
 * json_valid check), and the DDL of auto.create and auto.evolve: typed records' columns get their
 * schema's type (sink-column-types.ts), others a type inferred from their JSON values.
 */
import type { Connection } from 'mysql2/promise'
import type { KnownTable, SampledColumn, TableDefinitions } from '../../sql-sink/target-tables.ts'
import { Catalog, type ColumnKind } from '../shared/catalog.ts'
import { quoteIdentifier } from '../shared/quote.ts'
import { mysqlColumnType } from './sink-column-types.ts'

export interface MysqlTable extends KnownTable {
  readonly columns: ReadonlyMap<string, ColumnKind>
}

/** `database.table` (the first dot divides) → its two parts. */
export function splitName(name: string): { database: string; table: string } {
  const dot = name.indexOf('.')
  return { database: name.slice(0, dot), table: name.slice(dot + 1) }
}

export function qualified(name: string): string {
  const { database, table } = splitName(name)
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`
}

/**
 * A column type for a value seen in a record without a schema. Key columns must be indexable, so text keys are
 * VARCHAR(255) (1,020 bytes in utf8mb4, within InnoDB's key limit) rather than LONGTEXT.
 */
export function columnType(value: unknown, isKey: boolean): string {
  if (typeof value === 'boolean') return 'BOOLEAN'
  if (typeof value === 'number') return Number.isInteger(value) ? 'BIGINT' : 'DOUBLE'
  if (isKey) return 'VARCHAR(255)'
  if (value !== null && typeof value === 'object') return 'JSON'
  return 'LONGTEXT'
}

/**
 * A column's definition. Key columns are NOT NULL; the others say NULL outright, as a TIMESTAMP
 * column would otherwise be NOT NULL with a default where explicit_defaults_for_timestamp is off,
 * and even a required field's column takes NULL (a row leaving out an unchanged TOASTed value).
 */
function definition([column, value, schema]: SampledColumn, isKey: boolean): string {
  const type = schema === undefined ? columnType(value, isKey) : mysqlColumnType(schema, isKey)
  return `${quoteIdentifier(column)} ${type}${isKey ? ' NOT NULL' : schema === undefined ? '' : ' NULL'}`
}

const ER_DUP_FIELDNAME = 1060

export function mysqlTables(connection: Connection, isMariaDb: boolean): TableDefinitions<MysqlTable> {
  const catalog = new Catalog(connection, isMariaDb)
  return {
    async describe(name) {
      const { database, table } = splitName(name)
      const shape = await catalog.describe(database, table)
      if (shape.columns.length === 0) return undefined
      return { columns: new Map(shape.columns.map((column) => [column.name, column.kind])), primaryKey: shape.keyColumns }
    },
    async create(name, columns, keyColumns) {
      const definitions = columns.map((sample) => definition(sample, keyColumns.includes(sample[0])))
      const key = keyColumns.length > 0 ? `, PRIMARY KEY (${keyColumns.map(quoteIdentifier).join(', ')})` : ''
      await connection.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(splitName(name).database)}`)
      await connection.query(`CREATE TABLE IF NOT EXISTS ${qualified(name)} (${definitions.join(', ')}${key}) DEFAULT CHARSET = utf8mb4`)
    },
    async addColumns(name, columns: readonly SampledColumn[]) {
      for (const sample of columns) {
        // MySQL has no ADD COLUMN IF NOT EXISTS: a column another task added just now is no failure.
        await connection.query(`ALTER TABLE ${qualified(name)} ADD COLUMN ${definition(sample, false)}`).catch((error: unknown) => {
          if ((error as { errno?: unknown }).errno !== ER_DUP_FIELDNAME) throw error
        })
      }
    },
  }
}
