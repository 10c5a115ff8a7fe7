/**
 * What the sink knows of its target tables: columns with their types and the primary key, read
 * from the catalogue once and refreshed after it creates or evolves a table (typed records' columns
 * get their schema's type, sink-column-types.ts; others a type inferred from a value).
 */
import type pg from 'pg'
import type { SampledColumn } from '../../sql-sink/target-tables.ts'
import { quoteIdentifier } from '../shared/quote.ts'
import { pgColumnType } from './sink-column-types.ts'

export interface TargetTable {
  readonly schema: string
  readonly name: string
  /** column → udt name (int8, text, jsonb, _int4 for arrays …) */
  readonly columns: ReadonlyMap<string, string>
  readonly primaryKey: readonly string[]
}

export function qualified(table: string): string {
  return table.split('.').map(quoteIdentifier).join('.')
}

export function splitTable(table: string): { schema: string; name: string } {
  const [schema, ...rest] = table.split('.')
  return { schema: schema as string, name: rest.join('.') }
}

export async function describeTable(client: pg.ClientBase, table: string): Promise<TargetTable | undefined> {
  const { schema, name } = splitTable(table)
  const columns = await client.query<{ column_name: string; udt_name: string }>(
    'SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [schema, name],
  )
  if (columns.rows.length === 0) return undefined
  const key = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [schema, name],
  )
  return {
    schema,
    name,
    columns: new Map(columns.rows.map((row) => [row.column_name, row.udt_name])),
    primaryKey: key.rows.map((row) => row.attname),
  }
}

/** A column type for a value seen in a record without a schema, for auto.create / auto.evolve. */
export function inferType(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return Number.isInteger(value) ? 'bigint' : 'double precision'
  if (value !== null && typeof value === 'object') return 'jsonb'
  return 'text'
}

const columnType = ([, value, schema]: SampledColumn): string => (schema === undefined ? inferType(value) : pgColumnType(schema))

/**
 * Key columns are NOT NULL; the others take NULL even when their field is required: a row that
 * leaves out an unchanged TOASTed value would otherwise be refused.
 */
export async function createTable(
  client: pg.ClientBase,
  table: string,
  sampled: readonly SampledColumn[],
  keyColumns: readonly string[],
): Promise<void> {
  const columns = sampled.map(
    (sample) => `${quoteIdentifier(sample[0])} ${columnType(sample)}${keyColumns.includes(sample[0]) ? ' NOT NULL' : ''}`,
  )
  const key = keyColumns.length > 0 ? `, PRIMARY KEY (${keyColumns.map(quoteIdentifier).join(', ')})` : ''
  const { schema } = splitTable(table)
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`)
  await client.query(`CREATE TABLE IF NOT EXISTS ${qualified(table)} (${columns.join(', ')}${key})`)
}

export async function addColumns(client: pg.ClientBase, table: string, columns: readonly SampledColumn[]): Promise<void> {
  for (const sample of columns)
    await client.query(`ALTER TABLE ${qualified(table)} ADD COLUMN IF NOT EXISTS ${quoteIdentifier(sample[0])} ${columnType(sample)}`)
}
