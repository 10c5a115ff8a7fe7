/**
 * A mysql-cdc task's connecting phase (source.ts): it pins the host to the checked address,
 * connects, learns what the server is (server id, MySQL or MariaDB, GTIDs on or off), and decides
 * where to start from the stored offset: resume the binlog there, or open a consistent snapshot
 * (first start, a snapshot left unfinished, or a purged position with snapshot.mode when_needed)
 * whose position streaming starts from. Tables the schema history does not know yet are recorded
 * as they are at that position. Should it fail halfway, its stop() closes what it opened; once
 * connected, the next phase owns all of it.
 */
import type { Connection } from 'mysql2/promise'
import { connectError, type SourceOffset, type SourceTaskContext } from '../../../core/runtime/plugin.ts'
import { positionLost } from '../../cdc-envelope/source-error.ts'
import type { BinlogPosition } from './binlog-stream.ts'
import { Catalog } from '../shared/catalog.ts'
import { ChangeEvents } from './change-events.ts'
import { schemaSettings, snapshotOrder, tableFilter, type MysqlSourceConfig } from './config.ts'
import { connectionSettings, type ConnectionSettings } from '../shared/connection-settings.ts'
import { gtidTracker, hasBinlogsAfter, parseGtids } from './gtid-position.ts'
import { connect } from '../shared/mysql-options.ts'
import { SchemaHistory, type TableVersion } from './schema-history.ts'
import { beginConsistentSnapshot, checkBinlogSettings, currentPosition, hasGtids, type ServerPosition } from './server-state.ts'
import { SnapshotReader, type SnapshotPosition } from '../snapshot/snapshot.ts'
import { sourceConnection, type ConnectedServer, type SourceConnection } from './source-connection.ts'
import type { StreamStart } from './source-streaming.ts'

/** The initial snapshot, opened in a transaction of its own. */
export interface OpenedSnapshot {
  readonly reader: SnapshotReader
  /** The connection the snapshot's transaction runs on: let go of once it is read. */
  readonly connection: Connection
  /** Why a snapshot runs when it is not the first start (shown in the status). */
  readonly reason: string | null
}

/** What connecting hands to the phases after it. */
export interface Connected {
  readonly connection: SourceConnection
  /** The snapshot to read before streaming, when there is one. */
  readonly snapshot: OpenedSnapshot | undefined
  readonly streamStart: StreamStart
}

export class Connecting {
  readonly kind = 'connecting'
  private readonly context: SourceTaskContext<MysqlSourceConfig>
  /** The connector's version, for `source.version`. */
  private readonly version: string
  /** The configured host and port, as errors name them. */
  readonly where: string
  /** How to close what is open so far, in the order it was opened. */
  private readonly opened: Array<() => Promise<void>> = []

  constructor(context: SourceTaskContext<MysqlSourceConfig>, version: string) {
    this.context = context
    this.version = version
    const { host, port } = connectionSettings(context.config)
    this.where = `${host}:${port}`
  }

  async connect(): Promise<Connected> {
    const { context } = this
    const server = await this.connectServer()
    const stored = await context.storedOffset(server.events.sourcePartition)
    const { streamStart, snapshot } = await this.startPosition(server, stored)
    const history = await this.openHistory(server, streamStart.from)
    // Handed over: the next phase closes all of it.
    this.opened.length = 0
    return { connection: sourceConnection(context, server, history), snapshot, streamStart }
  }

  /** Closes what a connect() that failed halfway opened, the newest first. */
  async stop(): Promise<void> {
    for (const close of this.opened.splice(0).reverse()) await close()
  }

  /** Connects the admin connection and learns what the server is. */
  private async connectServer(): Promise<ConnectedServer> {
    const { context } = this
    const { config } = context
    let settings: ConnectionSettings = connectionSettings(config)
    let admin: Connection
    try {
      const [address] = await context.policy.checkHost(settings.host, settings.port)
      settings = { ...settings, host: address ?? settings.host }
      admin = await connect(settings)
    } catch (error) {
      throw connectError(
        'TRB_SOURCE_READ',
        context.logger,
        { host: this.where.slice(0, this.where.lastIndexOf(':')), port: settings.port },
        error,
      )
    }
    this.opened.push(() => admin.end().catch((err: unknown) => context.logger.debug({ err }, 'ending the admin connection failed')))
    const { rowMetadata } = await checkBinlogSettings(admin)
    if (rowMetadata !== null && rowMetadata !== 'FULL') {
      context.logger.warn(
        { binlog_row_metadata: rowMetadata },
        'binlog_row_metadata is not FULL: binlog written before an ALTER TABLE cannot be decoded after it (SET GLOBAL binlog_row_metadata = FULL)',
      )
    }
    const [info] = await admin.query('SELECT VERSION() AS version, @@server_id AS serverId')
    const { version, serverId } = (info as Array<{ version: string; serverId: number | string }>)[0] ?? { version: '', serverId: 0 }
    const isMariaDb = version.includes('MariaDB')
    const catalog = new Catalog(admin, isMariaDb)
    const events = new ChangeEvents({
      prefix: config['topic.prefix'],
      topic: config.topic,
      tombstones: config['tombstones.on.delete'],
      skipped: config['skipped.operations'],
      version: this.version,
      schemas: schemaSettings(config, isMariaDb),
    })
    const gtidsOn = await hasGtids(admin, isMariaDb)
    return { settings, admin, serverId: Number(serverId), isMariaDb, gtidsOn, isCaptured: tableFilter(config), catalog, events }
  }

  /** Where streaming starts, from the stored offset: resumed there, or at a snapshot's position. */
  private async startPosition(
    server: ConnectedServer,
    stored: SourceOffset | undefined,
  ): Promise<{ streamStart: StreamStart; snapshot?: OpenedSnapshot }> {
    const { context } = this
    const { config } = context
    const { admin, isMariaDb, gtidsOn } = server
    const storedPosition = positionOf(stored)
    // An offset's GTIDs are the preferred resume point where the server has GTIDs: they hold on
    // another server of the topology too. Without them (or empty), the file and position.
    const storedGtids = gtidsOn && typeof stored?.gtids === 'string' && stored.gtids.trim() !== '' ? stored.gtids : null
    if (storedGtids !== null) parseGtids(storedGtids, isMariaDb) // a malformed stored set fails the start, not the stream
    const snapshotUnfinished = stored?.snapshot === 'true'
    const wantsSnapshot = config['snapshot.mode'] !== 'no_data'
    const available =
      storedPosition === undefined ||
      (storedGtids !== null ? await hasBinlogsAfter(admin, isMariaDb, storedGtids) : await isAvailable(admin, storedPosition.file))
    if (storedPosition !== undefined && !available) {
      const needed = `binlog file ${storedPosition.file}${storedGtids === null ? '' : ` (after GTIDs ${storedGtids})`}`
      if (config['snapshot.mode'] !== 'when_needed') {
        throw positionLost(
          `${needed} that this connector's offset needs is no longer on the server (purged): the changes since then are gone. Reset the offsets (stop, then DELETE /connectors/{name}/offsets) to snapshot again, or use snapshot.mode when_needed`,
          { file: storedPosition.file, gtids: storedGtids },
        )
      }
      context.logger.warn(
        { file: storedPosition.file, gtids: storedGtids },
        'the stored binlog position was purged from the server; taking a fresh snapshot (snapshot.mode when_needed)',
      )
      return this.openSnapshot(server, undefined, undefined, `${needed} was purged; snapshot.mode when_needed`)
    }
    if (storedPosition !== undefined && !snapshotUnfinished) {
      return {
        streamStart: {
          from: storedPosition,
          gtids: storedGtids,
          resumeByGtid: storedGtids !== null,
          skip: typeof stored?.event === 'number' ? stored.event : 0,
        },
      }
    }
    if (storedPosition !== undefined && wantsSnapshot) {
      const resume =
        typeof stored?.snapshot_table === 'string' && typeof stored.snapshot_key === 'string'
          ? { table: stored.snapshot_table, key: stored.snapshot_key }
          : undefined
      return this.openSnapshot(server, { ...storedPosition, gtids: storedGtids }, resume, null)
    }
    if (wantsSnapshot) return this.openSnapshot(server, undefined, undefined, null)
    // An unfinished snapshot, and snapshot.mode no_data now: stream from the snapshot's position.
    if (storedPosition !== undefined) return { streamStart: { from: storedPosition, gtids: storedGtids, resumeByGtid: false, skip: 0 } }
    const position = await currentPosition(admin)
    return { streamStart: { from: position, gtids: await gtidsAt(server, position), resumeByGtid: false, skip: 0 } }
  }

  /** Opens the snapshot transaction; the stream starts at its position, or at `streamFrom` when resuming. */
  private async openSnapshot(
    server: ConnectedServer,
    streamFrom: ServerPosition | undefined,
    resume: SnapshotPosition | undefined,
    reason: string | null,
  ): Promise<{ streamStart: StreamStart; snapshot: OpenedSnapshot }> {
    const { config } = this.context
    const { catalog, events, serverId } = server
    const tables = snapshotOrder(config, await catalog.tables(server.isCaptured))
    const connection = await connect(server.settings)
    this.opened.push(() =>
      connection.end().catch((err: unknown) => this.context.logger.debug({ err }, 'ending the snapshot connection failed')),
    )
    const position = await beginConsistentSnapshot(connection)
    const from = streamFrom ?? position
    const gtids = streamFrom !== undefined ? streamFrom.gtids : await gtidsAt(server, position)
    const reader = new SnapshotReader({
      connection,
      catalog,
      events,
      tables,
      chunkRows: config['snapshot.chunk.rows'],
      position: from,
      gtids,
      serverId,
      resume,
    })
    this.opened.push(() => reader.close())
    await reader.estimate()
    return { streamStart: { from, gtids, resumeByGtid: false, skip: 0 }, snapshot: { reader, connection, reason } }
  }

  /** Loads the schema history; tables it does not know yet are recorded as they are now, from the start position. */
  private async openHistory(server: ConnectedServer, from: BinlogPosition): Promise<SchemaHistory> {
    const { context } = this
    const topic = context.config['schema.history.internal.kafka.topic'] || `_tributary-schema-history.${context.connector}`
    const history = new SchemaHistory(await context.openStore<TableVersion>(topic), server.catalog)
    for (const { database, table } of await server.catalog.tables(server.isCaptured)) {
      if (!history.has(database, table)) await history.record(database, table, from)
    }
    return history
  }
}

/** The executed GTIDs at a position the server reported: MySQL says, MariaDB computes them. */
async function gtidsAt(server: ConnectedServer, position: ServerPosition): Promise<string | null> {
  if (!server.gtidsOn) return null
  if (!server.isMariaDb) return position.gtids
  return (await gtidTracker(server.admin, true, position, null))?.toString() ?? null
}

async function isAvailable(admin: Connection, file: string): Promise<boolean> {
  const [rows] = await admin.query('SHOW BINARY LOGS')
  return (rows as Array<{ Log_name: string }>).some((row) => row.Log_name === file)
}

function positionOf(offset: SourceOffset | undefined): BinlogPosition | undefined {
  if (typeof offset?.file !== 'string' || typeof offset.pos !== 'number') return undefined
  return { file: offset.file, pos: offset.pos }
}
