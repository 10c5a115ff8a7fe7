/**
 * Reads one chunk of a table in key order (keyset pagination: `WHERE (key) > (last) ORDER BY key
 * LIMIT n`), with the values decoded as the stream decodes them, so a snapshot row and a streamed
 * row of the same key compare equal. Tables without key columns page by ctid.
 */
import type pg from 'pg'
import type { Catalog } from './catalog.ts'
import type { Relation, Row } from './change-events.ts'
import { quoteIdentifier } from './replication-stream.ts'
import { decodeTextValue } from './value-decoder.ts'

export interface TableName {
  readonly schema: string
  readonly table: string
}

export interface ChunkRow {
  /** Text values of the row's key (or its ctid), as the server printed them: the next chunk starts after. */
  readonly key: readonly string[]
  readonly row: Row
}

export interface TableChunk {
  readonly relation: Relation
  readonly rows: readonly ChunkRow[]
}

/** `schema.table` (or `table`, meaning public) as its two parts. */
export function tableName(name: string): TableName {
  const [schema, table] = name.includes('.') ? name.split('.') : ['public', name]
  return { schema: schema as string, table: table as string }
}

/** The rows after `after` (from the start when null), at most `limit`; none once the table is read. */
export async function readTableChunk(client: pg.ClientBase, catalog: Catalog, target: TableName, after: readonly string[] | null, limit: number): Promise<TableChunk> {
  const name = `${quoteIdentifier(target.schema)}.${quoteIdentifier(target.table)}`
  const keyColumns = await catalog.keyColumns(target.schema, target.table)
  const order = keyColumns.length > 0 ? keyColumns.map(quoteIdentifier) : ['ctid']
  const where = after === null ? '' : keyColumns.length > 0
    ? `WHERE (${order.join(', ')}) > (${order.map((_, i) => `$${i + 1}`).join(', ')})`
    : 'WHERE ctid > $1::tid'
  const sql = `SELECT ctid::text AS "__ctid", * FROM ${name} ${where} ORDER BY ${order.join(', ')} LIMIT ${limit}`
  const result = await client.query<Record<string, string | null>>(sql, after === null ? [] : [...after])
  const fields = result.fields.filter((field) => field.name !== '__ctid')
  const relation: Relation = {
    schema: target.schema,
    table: target.table,
    columns: fields.map((field) => ({ name: field.name, typeOid: field.dataTypeID, typeModifier: -1, isKey: keyColumns.includes(field.name) })),
    keyColumns,
  }
  if (result.rows.length === 0) return { relation, rows: [] }
  await catalog.ensureTypes(fields.map((field) => field.dataTypeID))
  const rows = result.rows.map((raw) => {
    const row: Row = {}
    for (const field of fields) {
      const text = raw[field.name]
      row[field.name] = text === null || text === undefined ? null : decodeTextValue(field.dataTypeID, text, catalog.lookup)
    }
    const key = keyColumns.length > 0 ? keyColumns.map((column) => raw[column] ?? '') : [raw.__ctid ?? '']
    return { key, row }
  })
  return { relation, rows }
}
