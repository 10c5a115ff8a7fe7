/**
 * Reads one chunk of a table in key order (keyset pagination: `WHERE (key) > (last) ORDER BY key
 * LIMIT n`), every column (generated ones too, as Debezium's snapshot reads them), with the values
 * read by the table's schema as a streamed row's are. Tables without key columns page by ctid.
 */
import type pg from 'pg'
import type { Catalog, CatalogColumn } from '../source/source-catalog.ts'
import type { ChangeEvents, Relation, Row } from '../source/change-events.ts'
import { quoteIdentifier } from '../shared/quote.ts'

export interface TableName {
  readonly schema: string
  readonly table: string
}

export interface TableChunk {
  readonly relation: Relation
  readonly rows: readonly Row[]
  /** Text values of the last row's key (or its ctid), as the server printed them: the next chunk starts after. */
  readonly lastKey: readonly string[] | null
  /** The same of the row before the last (null with fewer than two rows). */
  readonly keyBeforeLast: readonly string[] | null
}

/** `schema.table` (or `table`, meaning public) as its two parts. */
export function tableName(name: string): TableName {
  const [schema, table] = name.includes('.') ? name.split('.') : ['public', name]
  return { schema: schema as string, table: table as string }
}

/**
 * Whether a table's rows are paged by its key: when it has one without NULLs to skip (a unique index
 * standing in for a primary key may allow them). Otherwise by ctid, which only a snapshot that sees no
 * concurrent change may use.
 */
export function pagesByKey(keyColumns: readonly string[], columns: readonly CatalogColumn[]): boolean {
  return keyColumns.length > 0 && keyColumns.every((key) => columns.some((column) => column.name === key && column.notNull))
}

/** The rows after `after` (from the start when null), at most `limit`; none once the table is read. */
export async function readTableChunk(
  client: pg.ClientBase,
  catalog: Catalog,
  events: ChangeEvents,
  target: TableName,
  after: readonly string[] | null,
  limit: number,
): Promise<TableChunk> {
  const name = `${quoteIdentifier(target.schema)}.${quoteIdentifier(target.table)}`
  const keyColumns = await catalog.keyColumns(target.schema, target.table)
  const columns = await catalog.tableColumns(target.schema, target.table)
  const relation = events.queriedTable(target.schema, target.table, columns, keyColumns, catalog.lookup)
  const keyed = pagesByKey(keyColumns, columns)
  const order = keyed ? keyColumns.map(quoteIdentifier) : ['ctid']
  const where =
    after === null ? '' : keyed ? `WHERE (${order.join(', ')}) > (${order.map((_, i) => `$${i + 1}`).join(', ')})` : 'WHERE ctid > $1::tid'
  // ctid only pages a keyless table: printing it costs the server as much as a few columns.
  const list = columns.map((column) => quoteIdentifier(column.name)).join(', ')
  const sql = `SELECT ${keyed ? '' : 'ctid::text AS "__ctid", '}${list} FROM ${name} ${where} ORDER BY ${order.join(', ')} LIMIT ${limit}`
  // Rows as arrays: pg builds no object per row, and the values are read by position.
  const result = await client.query<Array<string | null>>({ text: sql, values: after === null ? [] : [...after], rowMode: 'array' })
  const raw = result.rows
  if (raw.length === 0) return { relation, rows: [], lastKey: null, keyBeforeLast: null }
  const from = keyed ? 0 : 1
  const rows = new Array<Row>(raw.length)
  for (let index = 0; index < raw.length; index++) rows[index] = events.row(relation, raw[index] as Array<string | null>, from)
  const names = columns.map((column) => column.name)
  const keyOf = (row: Array<string | null>) => (keyed ? keyColumns.map((column) => row[names.indexOf(column)] ?? '') : [row[0] ?? ''])
  const lastKey = keyOf(raw[raw.length - 1] as Array<string | null>)
  const keyBeforeLast = raw.length > 1 ? keyOf(raw[raw.length - 2] as Array<string | null>) : null
  return { relation, rows, lastKey, keyBeforeLast }
}
