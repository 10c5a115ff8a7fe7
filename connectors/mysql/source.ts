/**
 * `mysql-cdc`: change data capture from the row binlog of MySQL or MariaDB, read as a replica reads
 * it (zongji on mysql2). On first start it reads the captured tables in a consistent snapshot whose
 * binlog position is known, then streams from exactly there. Offsets are binlog file + position of
 * the last complete transaction (plus the records of the next one already stored), so a restart
 * resumes without loss or duplicates. Nothing is kept on the server: the binlog's own retention
 * decides how long a stopped connector can stay away.
 */
import type { Connection } from 'mysql2/promise'
import { TributaryError, connectError, definePlugin, type SourceOffset, type SourceRecord, type SourceTaskContext } from '../../core/runtime/plugin.ts'
import { connectionTargets } from './connection-target.ts'
import { BinlogStream, type BinlogPosition } from './binlog-stream.ts'
import { Catalog } from './catalog.ts'
import { ChangeEvents } from './change-events.ts'
import { connectionSettings, mysqlSourceConfig, replicaServerId, schemaSettings, snapshotOrder, tableFilter, type ConnectionSettings, type MysqlSourceConfig } from './config.ts'
import { gtidTracker, hasBinlogsAfter, parseGtids } from './gtid-position.ts'
import { Heartbeat } from './heartbeat.ts'
import { connect } from './mysql-options.ts'
import { beginConsistentSnapshot, checkBinlogSettings, currentPosition, hasGtids, type ServerPosition } from './server-state.ts'
import { SchemaHistory, type TableVersion } from './schema-history.ts'
import { SnapshotReader, type SnapshotPosition } from './snapshot.ts'
import { StreamReader } from './stream-reader.ts'

const VERSION = '0.1.0'

/** Driver errors that no retry can fix: wrong credentials or grants. */
const PERMANENT = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR'])

function sourceError(message: string, cause: unknown, details: Record<string, unknown> = {}): TributaryError {
  if (cause instanceof TributaryError) return cause
  const code = (cause as { code?: unknown } | undefined)?.code
  const errno = (cause as { errno?: unknown } | undefined)?.errno
  return new TributaryError('TRB_SOURCE_READ', `${message}: ${(cause as Error | undefined)?.message ?? String(cause)}`, {
    cause,
    retriable: !(typeof code === 'string' && PERMANENT.has(code)),
    details: { ...details, ...(typeof code === 'string' && { code }), ...(typeof errno === 'number' && { errno }) },
  })
}

class MysqlSourceTask {
  private readonly context: SourceTaskContext<MysqlSourceConfig>
  private readonly config: MysqlSourceConfig
  /** The host is the address the sandbox checked once start() has run. */
  private settings: ConnectionSettings
  private readonly isCaptured: (database: string, table: string) => boolean
  private readonly heartbeat: Heartbeat
  private admin: Connection | undefined
  private catalog: Catalog | undefined
  private history: SchemaHistory | undefined
  private events: ChangeEvents | undefined
  private snapshot: SnapshotReader | undefined
  private snapshotConnection: Connection | undefined
  private streaming: { stream: BinlogStream; reader: StreamReader } | undefined
  /** Set as soon as connected, so stop() closes it even if the reader could not be made. */
  private stream: BinlogStream | undefined
  private streamFrom: BinlogPosition = { file: '', pos: 4 }
  /** The executed GTIDs at `streamFrom`, where known (null also when the server has none). */
  private startGtids: string | null = null
  /** Resume from `startGtids` rather than from `streamFrom`: the server finds the position. */
  private resumeByGtid = false
  private skip = 0
  private serverId = 0
  private isMariaDb = false
  private gtidsOn = false
  private finished = false
  /** Why a snapshot runs when it is not the first start (shown in the status). */
  private snapshotReason: string | null = null

  constructor(context: SourceTaskContext<MysqlSourceConfig>) {
    this.context = context
    this.config = context.config
    this.settings = connectionSettings(context.config)
    this.isCaptured = tableFilter(context.config)
    this.heartbeat = new Heartbeat({ topicPrefix: context.config['topic.heartbeat.prefix'], serverName: context.config['topic.prefix'], intervalMs: context.config['heartbeat.interval.ms'] })
  }

  async start(): Promise<void> {
    const where = `${this.settings.host}:${this.settings.port}`
    let admin: Connection
    try {
      const [address] = await this.context.policy.checkHost(this.settings.host, this.settings.port)
      this.settings = { ...this.settings, host: address ?? this.settings.host }
      admin = await connect(this.settings)
    } catch (error) {
      throw connectError('TRB_SOURCE_READ', this.context.logger, { host: where.slice(0, where.lastIndexOf(':')), port: this.settings.port }, error)
    }
    try {
      await this.open(admin)
      // Streaming right away: connect now, so a running task is one that reads the binlog.
      if (this.snapshot === undefined && this.config['snapshot.mode'] !== 'initial_only') await this.openStream()
    } catch (error) {
      await this.stop()
      throw sourceError(`cannot start capturing from ${where}`, error, { server: where })
    }
    this.context.logger.info({ server: where, file: this.streamFrom.file, pos: this.streamFrom.pos, snapshot: this.snapshot !== undefined }, 'mysql source started')
  }

  private async open(admin: Connection): Promise<void> {
    const { config } = this
    this.admin = admin
    const { rowMetadata } = await checkBinlogSettings(admin)
    if (rowMetadata !== null && rowMetadata !== 'FULL') {
      this.context.logger.warn({ binlog_row_metadata: rowMetadata }, 'binlog_row_metadata is not FULL: binlog written before an ALTER TABLE cannot be decoded after it (SET GLOBAL binlog_row_metadata = FULL)')
    }
    const [info] = await admin.query('SELECT VERSION() AS version, @@server_id AS serverId')
    const { version, serverId } = (info as Array<{ version: string; serverId: number | string }>)[0] ?? { version: '', serverId: 0 }
    this.serverId = Number(serverId)
    this.isMariaDb = version.includes('MariaDB')
    this.catalog = new Catalog(admin, this.isMariaDb)
    this.events = new ChangeEvents({ prefix: config['topic.prefix'], topic: config.topic, tombstones: config['tombstones.on.delete'], skipped: config['skipped.operations'], version: VERSION, schemas: schemaSettings(config, this.isMariaDb) })
    this.gtidsOn = await hasGtids(admin, this.isMariaDb)
    const stored = await this.context.storedOffset(this.events.sourcePartition)
    const storedPosition = positionOf(stored)
    // An offset's GTIDs are the preferred resume point where the server has GTIDs: they hold on
    // another server of the topology too. Without them (or empty), the file and position.
    const storedGtids = this.gtidsOn && typeof stored?.gtids === 'string' && stored.gtids.trim() !== '' ? stored.gtids : null
    if (storedGtids !== null) parseGtids(storedGtids, this.isMariaDb) // a malformed stored set fails the start, not the stream
    const snapshotUnfinished = stored?.snapshot === 'true'
    const wantsSnapshot = config['snapshot.mode'] !== 'no_data'
    const available = storedPosition === undefined || (storedGtids !== null ? await hasBinlogsAfter(admin, this.isMariaDb, storedGtids) : await this.isAvailable(storedPosition.file))
    if (storedPosition !== undefined && !available) {
      const needed = `binlog file ${storedPosition.file}${storedGtids === null ? '' : ` (after GTIDs ${storedGtids})`}`
      if (config['snapshot.mode'] !== 'when_needed') {
        throw new TributaryError('TRB_SOURCE_POSITION_LOST', `${needed} that this connector's offset needs is no longer on the server (purged): the changes since then are gone. Reset the offsets (stop, then DELETE /connectors/{name}/offsets) to snapshot again, or use snapshot.mode when_needed`, { retriable: false, details: { file: storedPosition.file, gtids: storedGtids } })
      }
      this.context.logger.warn({ file: storedPosition.file, gtids: storedGtids }, 'the stored binlog position was purged from the server; taking a fresh snapshot (snapshot.mode when_needed)')
      this.snapshotReason = `${needed} was purged; snapshot.mode when_needed`
      await this.openSnapshot(undefined, undefined)
    } else if (storedPosition !== undefined && !snapshotUnfinished) {
      this.streamFrom = storedPosition
      this.startGtids = storedGtids
      this.resumeByGtid = storedGtids !== null
      this.skip = typeof stored?.event === 'number' ? stored.event : 0
    } else if (storedPosition !== undefined && wantsSnapshot) {
      const resume = typeof stored?.snapshot_table === 'string' && typeof stored.snapshot_key === 'string' ? { table: stored.snapshot_table, key: stored.snapshot_key } : undefined
      await this.openSnapshot({ ...storedPosition, gtids: storedGtids }, resume)
    } else if (wantsSnapshot) {
      await this.openSnapshot(undefined, undefined)
    } else if (storedPosition !== undefined) {
      // An unfinished snapshot, and snapshot.mode no_data now: stream from the snapshot's position.
      this.streamFrom = storedPosition
      this.startGtids = storedGtids
    } else {
      const position = await currentPosition(admin)
      this.streamFrom = position
      this.startGtids = await this.gtidsAt(position)
    }
    await this.openHistory(this.catalog)
  }

  /** Loads the schema history; tables it does not know yet are recorded as they are now, from the start position. */
  private async openHistory(catalog: Catalog): Promise<void> {
    const topic = this.config['schema.history.internal.kafka.topic'] || `_tributary-schema-history.${this.context.connector}`
    const history = new SchemaHistory(await this.context.openStore<TableVersion>(topic), catalog)
    this.history = history
    for (const { database, table } of await catalog.tables(this.isCaptured)) {
      if (!history.has(database, table)) await history.record(database, table, this.streamFrom)
    }
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    if (this.finished) {
      await this.context.clock.sleep(this.config['poll.max.ms'], signal).catch(() => undefined)
      return []
    }
    if (this.snapshot !== undefined) return this.pollSnapshot(this.snapshot)
    if (this.config['snapshot.mode'] === 'initial_only') {
      this.finished = true
      return []
    }
    try {
      const { stream, reader } = this.streaming ?? await this.openStream()
      const records = await reader.accept(await stream.take(this.config['batch.size'], this.config['poll.max.ms'], signal))
      this.context.reportStatus({ phase: 'streaming', binlog_file: reader.position.file, binlog_pos: reader.position.pos, binlog_queued_rows: stream.queuedRows })
      const beat = this.heartbeat.after(records, reader.idleOffset)
      return beat === undefined ? records : [beat]
    } catch (error) {
      throw sourceError('binlog stream failed', error, { file: this.streaming?.reader.position.file ?? this.streamFrom.file })
    }
  }

  /** Connects to the binlog at `streamFrom` (after the snapshot, if one runs). */
  private async openStream(): Promise<{ stream: BinlogStream; reader: StreamReader }> {
    const history = this.history as SchemaHistory
    const stream = await BinlogStream.start({
      settings: this.settings,
      serverId: replicaServerId(this.config, this.context.connector),
      from: this.streamFrom,
      ...(this.resumeByGtid && this.startGtids !== null && { gtids: this.startGtids }),
      isCaptured: this.isCaptured,
      queueRows: 2 * this.config['batch.size'],
      history: {
        columnsAt: (database, table, position) => history.at(database, table, position)?.columnSchemas,
        onDdl: async (database, query, end) => {
          this.catalog?.forget(database)
          for (const captured of await this.touchedTables(database, query)) await history.record(captured.database, captured.table, end)
        },
      },
    })
    this.stream = stream
    const reader = await this.newReader()
    this.heartbeat.startAt(reader.idleOffset)
    this.streaming = { stream, reader }
    return this.streaming
  }

  async stop(): Promise<void> {
    await this.snapshot?.close()
    await this.snapshotConnection?.end().catch(() => undefined)
    this.stream?.stop()
    await this.admin?.end().catch(() => undefined)
    this.snapshot = undefined
    this.snapshotConnection = undefined
    this.stream = undefined
    this.streaming = undefined
    this.admin = undefined
  }

  private async newReader(): Promise<StreamReader> {
    const catalog = this.catalog as Catalog
    const history = this.history as SchemaHistory
    return new StreamReader({
      gtids: await gtidTracker(this.admin as Connection, this.isMariaDb, this.streamFrom, this.startGtids),
      events: this.events as ChangeEvents,
      shape: async (database, table, position) => history.at(database, table, position)?.shape ?? catalog.shape(database, table),
      isCaptured: this.isCaptured,
      start: this.streamFrom,
      skip: this.skip,
      serverId: this.serverId,
      ...(this.stream !== undefined && { eventOverheadBytes: this.stream.eventOverheadBytes }),
    })
  }

  /** Captured tables a DDL statement may have changed: those of its default database or named in it. */
  private async touchedTables(database: string, query: string): Promise<Array<{ database: string; table: string }>> {
    const text = query.toLowerCase()
    return (await (this.catalog as Catalog).tables(this.isCaptured)).filter((t) => t.database === database || text.includes(t.table.toLowerCase()))
  }

  /** The executed GTIDs at a position the server reported: MySQL says, MariaDB computes them. */
  private async gtidsAt(position: ServerPosition): Promise<string | null> {
    if (!this.gtidsOn) return null
    if (!this.isMariaDb) return position.gtids
    return (await gtidTracker(this.admin as Connection, true, position, null))?.toString() ?? null
  }

  private async isAvailable(file: string): Promise<boolean> {
    const [rows] = await (this.admin as Connection).query('SHOW BINARY LOGS')
    return (rows as Array<{ Log_name: string }>).some((row) => row.Log_name === file)
  }

  /** Opens the snapshot transaction; the stream starts at its position, or at `streamFrom` when resuming. */
  private async openSnapshot(streamFrom: ServerPosition | undefined, resume: SnapshotPosition | undefined): Promise<void> {
    const catalog = this.catalog as Catalog
    const tables = snapshotOrder(this.config, await catalog.tables(this.isCaptured))
    const connection = await connect(this.settings)
    this.snapshotConnection = connection
    const position = await beginConsistentSnapshot(connection)
    this.streamFrom = streamFrom ?? position
    this.startGtids = streamFrom !== undefined ? streamFrom.gtids : await this.gtidsAt(position)
    this.skip = 0
    this.snapshot = new SnapshotReader({ connection, catalog, events: this.events as ChangeEvents, tables, chunkRows: this.config['snapshot.chunk.rows'], position: this.streamFrom, gtids: this.startGtids, serverId: this.serverId, resume })
    await this.snapshot.estimate()
  }

  private async pollSnapshot(snapshot: SnapshotReader): Promise<SourceRecord[]> {
    const records = await snapshot.next().catch((error: unknown) => {
      throw sourceError('snapshot read failed', error, { table: snapshot.progress.table })
    })
    const progress = snapshot.progress
    this.context.reportStatus({ phase: 'snapshot', snapshot_table: progress.table, snapshot_rows_done: progress.rowsDone, snapshot_rows_estimated: progress.rowsEstimated, ...(this.snapshotReason !== null && { snapshot_reason: this.snapshotReason }) })
    if (records.length > 0) return records
    await snapshot.close()
    await this.snapshotConnection?.end().catch(() => undefined)
    this.snapshot = undefined
    this.snapshotConnection = undefined
    this.context.logger.info({ rows: progress.rowsDone, file: this.streamFrom.file, pos: this.streamFrom.pos }, 'snapshot finished; streaming')
    return []
  }
}

function positionOf(offset: SourceOffset | undefined): BinlogPosition | undefined {
  if (typeof offset?.file !== 'string' || typeof offset.pos !== 'number') return undefined
  return { file: offset.file, pos: offset.pos }
}

export const mysqlSource = definePlugin({
  kind: 'source',
  name: 'mysql-cdc',
  aliases: ['io.debezium.connector.mysql.MySqlConnector', 'io.debezium.connector.mariadb.MariaDbConnector', 'MySqlConnector'],
  version: VERSION,
  description: 'Captures row changes from MySQL or MariaDB by reading the row binlog as a replica, with a consistent initial snapshot',
  config: mysqlSourceConfig,
  taskConfigs: (config) => [config],
  targets: (config) => ({ hosts: connectionTargets(config) }),
  createTask: (context) => new MysqlSourceTask(context),
})
