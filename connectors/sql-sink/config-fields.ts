/**
 * The config keys every SQL sink shares (Debezium JDBC sink names where they exist): how records map
 * to tables and rows, and where the consumed offsets are kept. Each sink adds its connection keys.
 */
import { z } from 'zod'

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
)
const bool = z.enum(['true', 'false']).transform((value) => value === 'true')

export const sqlSinkFields = {
  'table.name.format': z
    .string()
    .default('${source.table}')
    .describe(
      'Target table: ${topic}, ${source.schema}, ${source.db}, ${source.table} are replaced (source.* from change events, source.schema falling back to source.db, as MySQL events carry only their database; plain records use the topic with dots as underscores)',
    ),
  'insert.mode': z
    .enum(['insert', 'upsert', 'update'])
    .default('upsert')
    .describe('insert fails on an existing key; upsert inserts or updates; update changes existing rows only'),
  'primary.key.fields': list.optional().describe("Key columns; default the record key's fields, else the table's primary key"),
  'delete.enabled': bool.default(true).describe('Delete rows on change events with op d and on tombstones'),
  'truncate.enabled': bool.default(false).describe('Truncate the table on change events with op t'),
  'auto.create': bool.default(false).describe("Create a missing table from the records' fields"),
  'auto.evolve': bool.default(false).describe('Add columns the table lacks (never drops or alters)'),
  'unavailable.value.placeholder': z
    .string()
    .default('__debezium_unavailable_value')
    .describe('A column holding this is left untouched by the update'),
  'offsets.table': z
    .string()
    .default('tributary_sink_offsets')
    .describe('Table holding the consumed offsets, written in the same transaction as the rows (exactly-once)'),
}

const fields = z.object(sqlSinkFields)

/** The shared part of a SQL sink's parsed config. */
export type SqlSinkSettings = z.infer<typeof fields>
