/** The `mysql-sink` config (flat string map; Debezium JDBC sink names where they exist). */
import { z } from 'zod'
import { sqlSinkFields } from '../../sql-sink/config-fields.ts'
import { connectionFields } from '../shared/connection-settings.ts'

export const mysqlSinkConfig = z
  .object({
    ...connectionFields,
    url: connectionFields.url.describe(
      'Connection URL (mysql://user:password@host:port/database); the database is the default one for table names without one',
    ),
    user: z
      .string()
      .default('root')
      .describe('User with SELECT, INSERT, UPDATE and DELETE on the target tables (CREATE and ALTER for auto.create and auto.evolve)'),
    'database.default': z
      .string()
      .optional()
      .describe('Database for table names without one (and for offsets.table); default the database in the url'),
    ...sqlSinkFields,
  })
  .superRefine((config, context) => {
    if (defaultDatabase(config) !== undefined) return
    for (const key of ['table.name.format', 'offsets.table'] as const) {
      if (!config[key].replace(/\$\{[^}]*\}/g, '').includes('.'))
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} names no database: qualify it (database.table), or set database.default or a database in the url`,
        })
    }
  })

export type MysqlSinkConfig = z.infer<typeof mysqlSinkConfig>

/** `database.default`, else the url's path (mysql://…/shop). */
export function defaultDatabase(config: Pick<MysqlSinkConfig, 'url' | 'database.default'>): string | undefined {
  if (config['database.default'] !== undefined && config['database.default'] !== '') return config['database.default']
  if (config.url === undefined || !URL.canParse(config.url)) return undefined
  const path = decodeURIComponent(new URL(config.url).pathname.replace(/^\//, ''))
  return path === '' ? undefined : path
}
