/** The `postgres-sink` config (flat string map; Debezium JDBC sink names where they exist). */
import { z } from 'zod'

const list = z.string().transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
const bool = z.enum(['true', 'false']).transform((value) => value === 'true')

export const postgresSinkConfig = z.object({
  url: z.string().min(1).describe('Connection string of the target database'),
  'table.name.format': z.string().default('${source.table}').describe('Target table: ${topic}, ${source.schema}, ${source.table} are replaced (source.* from change events; plain records use the topic with dots as underscores)'),
  'insert.mode': z.enum(['insert', 'upsert', 'update']).default('upsert').describe('insert fails on an existing key; upsert inserts or updates; update changes existing rows only'),
  'primary.key.fields': list.optional().describe('Key columns; default the record key\'s fields, else the table\'s primary key'),
  'delete.enabled': bool.default(true).describe('Delete rows on change events with op d and on tombstones'),
  'truncate.enabled': bool.default(false).describe('Truncate the table on change events with op t'),
  'auto.create': bool.default(false).describe('Create a missing table from the records\' fields'),
  'auto.evolve': bool.default(false).describe('Add columns the table lacks (never drops or alters)'),
  'schema.default': z.string().default('public').describe('Schema for table names without one'),
  'unavailable.value.placeholder': z.string().default('__debezium_unavailable_value').describe('A column holding this is left untouched by the update'),
  'offsets.table': z.string().default('tributary_sink_offsets').describe('Table holding the consumed offsets, written in the same transaction as the rows (exactly-once)'),
})

export type PostgresSinkConfig = z.infer<typeof postgresSinkConfig>
