/**
 * `postgres-sink`: writes records into PostgreSQL tables: upserts by primary key, deletes on op `d`
 * and tombstones, change envelopes unwrapped, one transaction per batch with the consumed offsets
 * (exactly-once; the task is the shared SQL sink's, see connectors/sql-sink/).
 */
import pg from 'pg'
import { TributaryError } from '../../../core/runtime/plugin.ts'
import { connectError, definePlugin } from '../../../core/runtime/plugin.ts'
import { databaseHosts, pinnedConnectionString, postgresTarget } from '../shared/pinned-url.ts'
import { SqlSinkTask, type SqlSinkDialect } from '../../sql-sink/sql-sink-task.ts'
import { postgresSinkConfig, type PostgresSinkConfig } from './sink-config.ts'
import { postgresSinkReference } from './sink-reference.ts'
import { SinkWriter } from './sink-writer.ts'

/** SQLSTATE classes worth retrying: serialization, deadlock, connection, shutdown, resources. */
function isRetriableSqlState(code: unknown): boolean {
  return typeof code === 'string' && (code === '40001' || code === '40P01' || /^(08|53|57P)/.test(code))
}

const postgres: SqlSinkDialect<PostgresSinkConfig> = {
  sinkName: 'postgres-sink',
  defaultNamespace: (config) => config['schema.default'],
  async open(context) {
    const target = postgresTarget(context.config.url) ?? { host: 'localhost', port: 5432 }
    let client: pg.Client
    try {
      client = new pg.Client({ connectionString: await pinnedConnectionString(context.policy, context.config.url) })
      client.on('error', (error) => context.logger.warn({ err: error }, 'postgres-sink connection error'))
      await client.connect()
    } catch (error) {
      throw connectError('TRB_SINK_WRITE', context.logger, target, error)
    }
    return new SinkWriter(client, context.config, context.connector)
  },
  writeError(error) {
    if (error instanceof TributaryError) return error
    const sqlstate = (error as { code?: unknown }).code
    return new TributaryError('TRB_SINK_WRITE', `postgres-sink: ${(error as Error).message}`, {
      cause: error,
      retriable: isRetriableSqlState(sqlstate) || sqlstate === undefined,
      details: { ...(typeof sqlstate === 'string' && { sqlstate }) },
    })
  },
}

export const postgresSink = definePlugin({
  kind: 'sink',
  name: 'postgres-sink',
  aliases: ['io.debezium.connector.jdbc.JdbcSinkConnector', 'JdbcSinkConnector'],
  version: '0.1.0',
  description: 'Upserts records into PostgreSQL tables in one transaction per batch, with the offsets (exactly-once)',
  reference: postgresSinkReference,
  config: postgresSinkConfig,
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => config),
  targets: (config) => ({ hosts: databaseHosts(config.url) }),
  createTask: (context) => new SqlSinkTask(context, postgres),
})
