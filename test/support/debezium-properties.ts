/**
 * Debezium engine configs for the test's throwaway servers (pg-server.ts, mariadb-server.ts), so a
 * conformance test states only what it compares: tables, snapshot mode, slot and publication. Offsets
 * (and MariaDB's schema history) stay in the oracle's memory: each run starts from nothing, as the
 * database does. `extra` adds or overrides any Debezium property.
 */
import type { MariaDbServer } from './mariadb-server.ts'
import type { PgServer } from './pg-server.ts'

/** What every oracle run shares: a name, offsets in memory, flushed as they come. */
const ENGINE = {
  name: 'debezium-oracle',
  'offset.storage': 'org.apache.kafka.connect.storage.MemoryOffsetBackingStore',
  'offset.flush.interval.ms': '0',
}

export interface PostgresOracleOptions {
  topicPrefix: string
  /** Debezium's table.include.list: `schema.table` regexes, e.g. ['public.items']. */
  tables: readonly string[]
  slot: string
  publication: string
  /** filtered: a publication of `tables` only; all_tables: FOR ALL TABLES. */
  publicationMode?: 'filtered' | 'all_tables'
  snapshotMode?: string
  extra?: Readonly<Record<string, string>>
}

/** Debezium's PostgreSQL connector with pgoutput, as superuser over the server's trust auth. */
export function postgresOracleProperties(server: Pick<PgServer, 'url'>, options: PostgresOracleOptions): Record<string, string> {
  const url = new URL(server.url)
  return {
    ...ENGINE,
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': url.hostname,
    'database.port': url.port,
    'database.user': decodeURIComponent(url.username),
    'database.password': decodeURIComponent(url.password),
    'database.dbname': url.pathname.slice(1),
    'plugin.name': 'pgoutput',
    'slot.name': options.slot,
    'publication.name': options.publication,
    'publication.autocreate.mode': options.publicationMode ?? 'filtered',
    'topic.prefix': options.topicPrefix,
    'table.include.list': options.tables.join(','),
    'snapshot.mode': options.snapshotMode ?? 'initial',
    ...options.extra,
  }
}

export interface MariaDbOracleOptions {
  topicPrefix: string
  /** Debezium's table.include.list: `database.table` regexes, e.g. ['shop.items']. */
  tables: readonly string[]
  /** The replica server id the connector reads the binlog as: unique among the server's readers. */
  serverId: number
  snapshotMode?: string
  extra?: Readonly<Record<string, string>>
}

/**
 * Debezium's MariaDB connector (io.debezium.connector.mariadb.MariaDbConnector, a 3.5.0.Final build:
 * see test/support/debezium/pom.xml). It reads the binlog by position; offsets and schema history stay
 * in memory, SSL is off as the throwaway server has none, and the schema change events (DDL, on the
 * topic named topic.prefix) are left out, as Tributary has none: `extra` may turn them on.
 */
export function mariaDbOracleProperties(
  server: Pick<MariaDbServer, 'port' | 'user' | 'password'>,
  options: MariaDbOracleOptions,
): Record<string, string> {
  return {
    ...ENGINE,
    'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
    'database.hostname': '127.0.0.1',
    'database.port': String(server.port),
    'database.user': server.user,
    'database.password': server.password,
    'database.server.id': String(options.serverId),
    'database.ssl.mode': 'disable',
    'schema.history.internal': 'io.debezium.relational.history.MemorySchemaHistory',
    'include.schema.changes': 'false',
    'topic.prefix': options.topicPrefix,
    'database.include.list': [...new Set(options.tables.map((table) => table.split('.')[0]))].join(','),
    'table.include.list': options.tables.join(','),
    'snapshot.mode': options.snapshotMode ?? 'initial',
    ...options.extra,
  }
}
