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

export interface TableChunk {
  readonly relation: Relation
  readonly rows: readonly Row[]
  /** Text values of the last row's key (or its ctid), as the server printed them: the next chunk starts after. */
  readonly lastKey: readonly string[] | null
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
  // ctid only pages a keyless table: printing it costs the server as much as a few columns.
  const keyed = keyColumns.length > 0
  const sql = `SELECT ${keyed ? '' : 'ctid::text AS "__ctid", '}* FROM ${name} ${where} ORDER BY ${order.join(', ')} LIMIT ${limit}`
  // Rows as arrays: pg builds no object per row, and the values are read by position.
  const result = await client.query<Array<string | null>>({ text: sql, values: after === null ? [] : [...after], rowMode: 'array' })
  const generated = await catalog.generatedColumns(target.schema, target.table)
  // The result's positions of the table's columns: after the ctid, without generated columns (but
  // with a generated key column, which the keyset paging needs).
  const positions: number[] = []
  result.fields.forEach((field, position) => {
    if ((keyed || position > 0) && (!generated.has(field.name) || keyColumns.includes(field.name))) positions.push(position)
  })
  const fields = positions.map((position) => result.fields[position] as (typeof result.fields)[number])
  const relation: Relation = {
    schema: target.schema,
    table: target.table,
    columns: fields.map((field) => ({ name: field.name, typeOid: field.dataTypeID, typeModifier: -1, isKey: keyColumns.includes(field.name) })),
    keyColumns,
  }
  const raw = result.rows
  if (raw.length === 0) return { relation, rows: [], lastKey: null }
  await catalog.ensureTypes(fields.map((field) => field.dataTypeID))
  const names = fields.map((field) => field.name)
  const types = fields.map((field) => field.dataTypeID)
  const rows = new Array<Row>(raw.length)
  for (let index = 0; index < raw.length; index++) {
    const values = raw[index] as Array<string | null>
    const row: Row = {}
    for (let column = 0; column < names.length; column++) {
      const text = values[positions[column] as number]
      row[names[column] as string] = text === null || text === undefined ? null : decodeTextValue(types[column] as number, text, catalog.lookup)
    }
    rows[index] = row
  }
  const last = raw[raw.length - 1] as Array<string | null>
  const lastKey = keyed ? keyColumns.map((column) => last[positions[names.indexOf(column)] as number] ?? '') : [last[0] ?? '']
  return { relation, rows, lastKey }
}
