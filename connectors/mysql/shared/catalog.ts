/**
 * What the source and the sink know of a table from information_schema: its columns (with the
 * kind that decides how a value is rendered) and its primary key. Cached per table; a DDL
 * statement in the binlog drops the entry so the next event reads the new shape.
 */
import type { ColumnSchema } from '@vlasky/zongji'
import type { Connection } from 'mysql2/promise'
import { columnDefinition, type ColumnDefinition, type ColumnRow as DefinitionRow } from './column-definition.ts'

export type ColumnKind =
  | 'integer'
  | 'float'
  | 'decimal'
  | 'bit'
  | 'json'
  | 'date'
  | 'datetime'
  | 'timestamp'
  | 'time'
  | 'year'
  | 'binary'
  | 'other'

export interface Column {
  readonly name: string
  readonly kind: ColumnKind
  /** Declared width, e.g. 1 for BIT(1). */
  readonly width: number | null
  /** The full definition (absent in a schema history recorded before it was kept). */
  readonly definition?: ColumnDefinition
}

export interface TableShape {
  readonly database: string
  readonly table: string
  readonly columns: readonly Column[]
  readonly keyColumns: readonly string[]
}

const KINDS: Readonly<Record<string, ColumnKind>> = {
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  bigint: 'integer',
  float: 'float',
  double: 'other',
  decimal: 'decimal',
  bit: 'bit',
  json: 'json',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'timestamp',
  time: 'time',
  year: 'year',
  binary: 'binary',
  varbinary: 'binary',
  tinyblob: 'binary',
  blob: 'binary',
  mediumblob: 'binary',
  longblob: 'binary',
}

interface ColumnRow extends DefinitionRow {
  name: string
  width: number | string | null
}

export class Catalog {
  private readonly connection: Connection
  private readonly isMariaDb: boolean
  private readonly shapes = new Map<string, Promise<TableShape>>()

  constructor(connection: Connection, isMariaDb: boolean) {
    this.connection = connection
    this.isMariaDb = isMariaDb
  }

  shape(database: string, table: string): Promise<TableShape> {
    const name = `${database}.${table}`
    let shape = this.shapes.get(name)
    if (shape === undefined) {
      shape = this.describe(database, table)
      shape.catch(() => this.shapes.delete(name))
      this.shapes.set(name, shape)
    }
    return shape
  }

  /** After DDL: the next lookup reads information_schema again. */
  forget(database: string, table?: string): void {
    for (const name of this.shapes.keys()) {
      if (table === undefined ? name.startsWith(`${database}.`) : name === `${database}.${table}`) this.shapes.delete(name)
    }
  }

  /** Base tables of user databases, in name order. */
  async tables(accept: (database: string, table: string) => boolean): Promise<Array<{ database: string; table: string }>> {
    const [rows] = await this.connection.query(
      `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    )
    return (rows as Array<{ db: string; name: string }>)
      .filter((row) => !SYSTEM_DATABASES.has(row.db) && accept(row.db, row.name))
      .map((row) => ({ database: row.db, table: row.name }))
  }

  /** The table as information_schema has it now (no columns: there is no such table). */
  async describe(database: string, table: string): Promise<TableShape> {
    // MariaDB's JSON is LONGTEXT with an automatic json_valid() check; MySQL's is its own type.
    const isJson = this.isMariaDb
      ? `EXISTS (SELECT 1 FROM information_schema.CHECK_CONSTRAINTS k WHERE k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
           AND k.CHECK_CLAUSE = CONCAT('json_valid(\`', c.COLUMN_NAME, '\`)'))`
      : '0'
    const [rows] = await this.connection.query(
      `SELECT c.COLUMN_NAME AS name, c.DATA_TYPE AS dataType, COALESCE(c.NUMERIC_PRECISION, c.DATETIME_PRECISION) AS width, ${isJson} AS isJson,
         c.COLUMN_TYPE AS columnType, c.IS_NULLABLE AS nullable, c.COLUMN_DEFAULT AS columnDefault, c.EXTRA AS extra
       FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION`,
      [database, table],
    )
    const columns = rows as ColumnRow[]
    const keyColumns = await this.primaryKey(database, table)
    return {
      database,
      table,
      columns: columns.map((row) => ({
        name: row.name,
        kind: Number(row.isJson) === 1 ? 'json' : (KINDS[row.dataType.toLowerCase()] ?? 'other'),
        width: row.width === null ? null : Number(row.width),
        definition: columnDefinition(row, this.isMariaDb),
      })),
      keyColumns,
    }
  }

  /** The column rows zongji decodes a table map with (its own INFORMATION_SCHEMA query, same columns and order). */
  async columnSchemas(database: string, table: string): Promise<ColumnSchema[]> {
    const [rows] = await this.connection.query(
      `SELECT COLUMN_NAME, COLLATION_NAME, CHARACTER_SET_NAME, COLUMN_COMMENT, COLUMN_TYPE
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [database, table],
    )
    return rows as ColumnSchema[]
  }

  /** Primary key columns in key order (COLUMN_KEY alone does not give the order). */
  private async primaryKey(database: string, table: string): Promise<string[]> {
    const [rows] = await this.connection.query(
      `SELECT COLUMN_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX`,
      [database, table],
    )
    return (rows as Array<{ name: string }>).map((row) => row.name)
  }
}

/** The server's own databases, never captured. */
export const SYSTEM_DATABASES: ReadonlySet<string> = new Set(['mysql', 'sys', 'performance_schema', 'information_schema'])
