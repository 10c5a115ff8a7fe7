/**
 * What every phase of a mysql-cdc task shares once it is connected (source.ts): the connection
 * settings with the host pinned to the address the sandbox checked, the admin connection and its
 * catalogue, the schema history, the change events, which tables are captured, and what the server
 * is (its server id, MySQL or MariaDB, whether it has GTIDs).
 */
import type { Connection } from 'mysql2/promise'
import type { SourceTaskContext } from '../../../core/runtime/plugin.ts'
import type { Catalog } from '../shared/catalog.ts'
import type { ChangeEvents } from './change-events.ts'
import type { MysqlSourceConfig } from './config.ts'
import type { ConnectionSettings } from '../shared/connection-settings.ts'
import type { SchemaHistory } from './schema-history.ts'

/** What connecting has made before the start position is known: all of a connection but its schema history. */
export interface ConnectedServer {
  readonly settings: ConnectionSettings
  readonly admin: Connection
  readonly serverId: number
  readonly isMariaDb: boolean
  readonly gtidsOn: boolean
  readonly isCaptured: (database: string, table: string) => boolean
  readonly catalog: Catalog
  readonly events: ChangeEvents
}

export interface SourceConnection extends ConnectedServer {
  readonly context: SourceTaskContext<MysqlSourceConfig>
  readonly config: MysqlSourceConfig
  /** Each captured table's versions, recorded from the start position on. */
  readonly history: SchemaHistory
  /** Ends the admin connection. */
  close(): Promise<void>
}

export function sourceConnection(
  context: SourceTaskContext<MysqlSourceConfig>,
  server: ConnectedServer,
  history: SchemaHistory,
): SourceConnection {
  return {
    ...server,
    context,
    config: context.config,
    history,
    close: async () => {
      await server.admin.end().catch((err: unknown) => context.logger.debug({ err }, 'ending the admin connection failed'))
    },
  }
}
