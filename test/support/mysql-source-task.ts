/** Drives one `mysql-cdc` task directly against a throwaway MariaDB, with a stored offset or none. */
import type { MysqlSourceConfig } from '../../connectors/mysql/source/config.ts'
import { mysqlSource } from '../../connectors/mysql/source/source.ts'
import type { SourceOffset, SourceTask } from '../../core/runtime/plugin.ts'
import type { MariaDbServer } from './mariadb-server.ts'
import { partitionKey, sourceContext } from './task-context.ts'

/** A config for `server` with topic prefix `db` and short polls; `overrides` as a user would write them. */
export function mysqlTestConfig(server: MariaDbServer, overrides: Record<string, string>): MysqlSourceConfig {
  return mysqlSource.config.parse({ url: server.url, 'topic.prefix': 'db', 'poll.max.ms': '50', ...overrides })
}

/** Starts a task whose stored offset is `offset` (none: a first start); `stores` keeps its schema history across restarts. */
export async function startMysqlTask(
  config: MysqlSourceConfig,
  offset?: SourceOffset,
  stores?: Map<string, Map<string, unknown>>,
): Promise<SourceTask> {
  const offsets = new Map<string, SourceOffset>()
  if (offset !== undefined) offsets.set(partitionKey({ server: config['topic.prefix'] }), offset)
  const task = mysqlSource.createTask(sourceContext(config, { offsets, ...(stores !== undefined && { stores }) }))
  await task.start()
  return task
}
