/** The `postgres-sink` config (flat string map; Debezium JDBC sink names where they exist). */
import { z } from 'zod'
import { sqlSinkFields } from '../../sql-sink/config-fields.ts'

export const postgresSinkConfig = z.object({
  url: z.string().min(1).describe('Connection string of the target database'),
  ...sqlSinkFields,
  'schema.default': z.string().default('public').describe('Schema for table names without one'),
})

export type PostgresSinkConfig = z.infer<typeof postgresSinkConfig>
