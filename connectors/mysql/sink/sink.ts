/**
 * `mysql-sink`: writes records into MySQL/MariaDB tables: upserts by primary key, deletes on op `d`
 * and tombstones, change envelopes unwrapped, one transaction per batch with the consumed offsets
 * (exactly-once; the task is the shared SQL sink's, see connectors/sql-sink/).
 */
import mysql from 'mysql2/promise'
import { TributaryError, connectError, definePlugin } from '../../../core/runtime/plugin.ts'
import { connectionTargets } from '../shared/connection-target.ts'
import { SqlSinkTask, type SqlSinkDialect } from '../../sql-sink/sql-sink-task.ts'
import { connectionSettings } from '../shared/connection-settings.ts'
import { driverOptions } from '../shared/mysql-options.ts'
import { defaultDatabase, mysqlSinkConfig, type MysqlSinkConfig } from './sink-config.ts'
import { mysqlSinkReference } from './sink-reference.ts'
import { MysqlSinkWriter } from './sink-writer.ts'

/**
 * Worth retrying: lock wait timeout, deadlock (the server rolled the transaction back), too many
 * connections, shutdown, connection killed, server gone away or lost, refused by an idle timeout.
 */
const RETRIABLE_ERRNOS: ReadonlySet<number> = new Set([1205, 1213, 1040, 1053, 1927, 2002, 2003, 2006, 2013, 4031])

/**
 * A fixed session: UTC, so TIMESTAMP values go in as the UTC text the sink writes; strict, so a value
 * a column cannot hold is refused rather than cut or zeroed; NO_AUTO_VALUE_ON_ZERO, so an id 0 stays
 * 0 instead of drawing the next AUTO_INCREMENT value; and no NO_BACKSLASH_ESCAPES, which the literals
 * rely on.
 */
const SESSION = `SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'`

const MAX_QUERY_CHARS = 4 * 1024 * 1024

const dialect: SqlSinkDialect<MysqlSinkConfig> = {
  sinkName: 'mysql-sink',
  defaultNamespace: defaultDatabase,
  async open(context) {
    const settings = connectionSettings(context.config)
    let connection: mysql.Connection
    try {
      const [address] = await context.policy.checkHost(settings.host, settings.port)
      connection = await mysql.createConnection({
        ...driverOptions({ ...settings, host: address ?? settings.host }),
        multipleStatements: true,
      })
    } catch (error) {
      throw connectError('TRB_SINK_WRITE', context.logger, settings, error)
    }
    connection.on('error', (error) => context.logger.warn({ err: error }, 'mysql-sink connection error'))
    try {
      await connection.query(SESSION)
      const [rows] = await connection.query('SELECT VERSION() AS version, @@max_allowed_packet AS packet')
      const [server] = rows as Array<{ version: string; packet: number | string }>
      return new MysqlSinkWriter({
        connection,
        config: context.config,
        connector: context.connector,
        defaultDatabase: defaultDatabase(context.config),
        isMariaDb: server?.version.includes('MariaDB') ?? false,
        maxQueryChars: Math.min(MAX_QUERY_CHARS, Math.floor(Number(server?.packet ?? 0) / 4) - 1024),
      })
    } catch (error) {
      connection.destroy()
      throw error
    }
  },
  writeError(error) {
    if (error instanceof TributaryError) return error
    const { errno, sqlState, code, fatal } = error as { errno?: unknown; sqlState?: unknown; code?: unknown; fatal?: unknown }
    const codes = [typeof errno === 'number' && `errno ${errno}`, typeof sqlState === 'string' && `SQLSTATE ${sqlState}`]
      .filter(Boolean)
      .join(', ')
    return new TributaryError('TRB_SINK_WRITE', `mysql-sink: ${(error as Error).message}${codes === '' ? '' : ` (${codes})`}`, {
      cause: error,
      retriable: fatal === true || typeof errno !== 'number' || RETRIABLE_ERRNOS.has(errno),
      details: {
        ...(typeof errno === 'number' && { errno }),
        ...(typeof sqlState === 'string' && { sqlState }),
        ...(typeof code === 'string' && { code }),
      },
    })
  },
}

export const mysqlSink = definePlugin({
  kind: 'sink',
  name: 'mysql-sink',
  version: '0.1.0',
  description: 'Upserts records into MySQL/MariaDB tables in one transaction per batch, with the offsets (exactly-once)',
  reference: mysqlSinkReference,
  config: mysqlSinkConfig,
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => config),
  targets: (config) => ({ hosts: connectionTargets(config) }),
  createTask: (context) => new SqlSinkTask(context, dialect),
})
