/**
 * `postgres-cdc`: change data capture over logical replication (pgoutput; nothing to install on the
 * server). On first start it creates the publication and the slot, reads the tables on the slot's
 * exported snapshot, then streams from the slot's consistent point. The slot is confirmed only up
 * to transactions the log holds durably, so the server keeps every change Tributary still needs.
 */
import os from 'node:os'
import type pg from 'pg'
import { TributaryError } from '../../core/runtime/plugin.ts'
import { connectError, maskText, definePlugin, type CommittedRecord, type SourceOffset, type SourceRecord, type SourceTaskContext, type TaskDetails } from '../../core/runtime/plugin.ts'
import { databaseHosts, pinnedConnectionString, postgresTarget } from './pinned-url.ts'
import { Catalog, textClient } from './catalog.ts'
import { ChangeEvents, type ChangeEventSettings } from './change-events.ts'
import { parseKeyColumns, postgresSourceConfig, schemaSettings, type PostgresSourceConfig } from './config.ts'
import { formatLsn, parseLsn, type Lsn } from './lsn.ts'
import { IncrementalSnapshot } from './incremental-snapshot.ts'
import { ReplicationStream } from './replication-stream.ts'
import { createReplicationSlot, dropReplicationSlot, ensurePublication, partitionedAsPartitions, publishedWithoutIdentity, slotState, type CreatedSlot } from './slot.ts'
import { ledgerOffset, resumeLedger } from './snapshot-ledger.ts'
import { SnapshotInThread, type SnapshotSource } from './snapshot-in-thread.ts'
import { SnapshotReader, type SnapshotPosition } from './snapshot.ts'
import { StreamReader, TRANSACTION_END } from './stream-reader.ts'
import { tableName } from './table-chunk.ts'

/** The slot no longer holds the changes after the stored offset: no restart brings them back. */
function positionLost(message: string, slot: string): TributaryError {
  return new TributaryError('TRB_SOURCE_POSITION_LOST', message, { retriable: false, details: { slot } })
}

function sourceError(message: string, cause: unknown, retriable: boolean, details: Record<string, unknown> = {}): TributaryError {
  const sqlstate = (cause as { code?: unknown } | undefined)?.code
  return new TributaryError('TRB_SOURCE_READ', message, { cause, retriable, details: { ...details, ...(typeof sqlstate === 'string' && { sqlstate }) } })
}

class PostgresSourceTask {
  private readonly context: SourceTaskContext<PostgresSourceConfig>
  /** The url points at the address the sandbox checked once start() has run. */
  private config: PostgresSourceConfig
  private admin: pg.Client | undefined
  private catalog: Catalog | undefined
  private events: ChangeEvents | undefined
  /** What the change events are built with: a snapshot thread builds its own from them. */
  private eventSettings: ChangeEventSettings | undefined
  private created: CreatedSlot | undefined
  private snapshot: SnapshotSource | undefined
  private snapshotClient: pg.Client | undefined
  private stream: ReplicationStream | undefined
  private reader: StreamReader | undefined
  private incremental: IncrementalSnapshot | undefined
  /** The snapshot ledger every streamed record's offset carries (snapshot-ledger.ts). */
  private snapshotOffset: SourceOffset = {}
  private slotDetails: TaskDetails = {}
  private startLsn: Lsn = 0n
  /** Set when streaming was turned off for this run: the position the slot stays confirmed at meanwhile. */
  private streamingOff: { confirmed: Lsn } | undefined
  private finished = false
  private inFlight = 0
  private lastHeartbeat = Date.now()
  private connectionLost: Error | undefined
  /** The admin connection only reports the slot: while the stream lives, losing it can wait. */
  private adminLost: Error | undefined
  private slotCheckRunning = false

  constructor(context: SourceTaskContext<PostgresSourceConfig>) {
    this.context = context
    this.config = context.config
  }

  async start(): Promise<void> {
    const target = postgresTarget(this.config.url) ?? { host: maskText(this.config.url), port: 5432 }
    try {
      this.config = { ...this.config, url: await pinnedConnectionString(this.context.policy, this.config.url) }
    } catch (error) {
      throw connectError('TRB_SOURCE_READ', this.context.logger, target, error)
    }
    const { config } = this
    const admin = this.watched(textClient(config.url), 'admin')
    this.admin = admin
    await admin.connect().catch((error: unknown) => {
      throw connectError('TRB_SOURCE_READ', this.context.logger, target, error)
    })
    const database = (await admin.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? ''
    this.catalog = new Catalog(admin, parseKeyColumns(config['message.key.columns']))
    this.eventSettings = { prefix: config['topic.prefix'], database, topic: config.topic, tombstones: config['tombstones.on.delete'], skipped: config['skipped.operations'], version: postgresSource.version, schemas: schemaSettings(config) }
    this.events = new ChangeEvents(this.eventSettings)
    const configured = config.tables.map((name) => {
      const { schema, table } = tableName(name)
      return `${schema}.${table}`
    })
    const newlyPublished = await ensurePublication(admin, config.publication, configured).catch((error: unknown) => {
      const sqlstate = (error as { code?: unknown }).code
      throw sourceError(`cannot create or extend publication "${config.publication}": ${(error as Error).message}`, error, !(typeof sqlstate === 'string' && sqlstate.startsWith('42')), { publication: config.publication })
    })
    const unidentified = await publishedWithoutIdentity(admin, config.publication)
    if (unidentified.length > 0) {
      this.context.logger.warn({ publication: config.publication, tables: unidentified }, `these published tables have no primary key or replica identity: PostgreSQL now refuses UPDATE and DELETE on them, to every client. Add a primary key, or ALTER TABLE ... REPLICA IDENTITY FULL`)
    }
    const splitTables = await partitionedAsPartitions(admin, config.publication, configured)
    if (splitTables.length > 0) {
      this.context.logger.warn({ publication: config.publication, tables: splitTables }, `publication "${config.publication}" publishes these partitioned tables as their partitions: their changes go to a topic per partition, their snapshot to the table's own. ALTER PUBLICATION ... SET (publish_via_partition_root = true) sends both to the table's topic`)
    }
    const stored = await this.context.storedOffset({ server: config['topic.prefix'] })
    let slot = await slotState(admin, config.slot)
    const storedLsn = typeof stored?.lsn === 'string' ? parseLsn(stored.lsn) : undefined
    const snapshotUnfinished = stored?.snapshot === 'true' && stored.snapshot_completed !== true
    const wantsSnapshot = config['snapshot.mode'] !== 'no_data'
    if (slot.lost) {
      // Nothing to lose without an offset to resume from (or with when_needed): the slot starts over.
      if (storedLsn !== undefined && !snapshotUnfinished && config['snapshot.mode'] !== 'when_needed') {
        throw positionLost(`replication slot "${config.slot}" was invalidated by the server: it held back more WAL than max_slot_wal_keep_size allows, and the changes since this connector's offset (${String(stored?.lsn)}) are gone. Use snapshot.mode when_needed to snapshot again on a new slot, or reset the offsets (stop, then DELETE /connectors/{name}/offsets)`, config.slot)
      }
      this.context.logger.warn({ slot: config.slot }, 'replication slot was invalidated by the server; dropping it to start over')
      await dropReplicationSlot(admin, config.slot)
      slot = await slotState(admin, config.slot)
    }
    if (!slot.exists) {
      if (storedLsn !== undefined && !snapshotUnfinished && config['snapshot.mode'] !== 'when_needed') {
        throw positionLost(`replication slot "${config.slot}" is missing but this connector has an offset (${String(stored?.lsn)}): the changes since then are gone. Reset the offsets (stop, then DELETE /connectors/{name}/offsets) to snapshot again, or use snapshot.mode when_needed`, config.slot)
      }
      this.created = await createReplicationSlot(config.url, config.slot, wantsSnapshot)
      this.startLsn = this.created.consistentPoint
      if (wantsSnapshot) await this.openSnapshot(this.created.snapshotName, undefined)
    } else {
      this.startLsn = storedLsn ?? slot.confirmedFlushLsn ?? 0n
      if (wantsSnapshot && (snapshotUnfinished || stored === undefined)) {
        const resume: SnapshotPosition | undefined = snapshotUnfinished && typeof stored?.snapshot_table === 'string' && typeof stored.snapshot_key === 'string'
          ? { table: stored.snapshot_table, key: JSON.parse(stored.snapshot_key) as string[] }
          : undefined
        await this.openSnapshot(null, resume)
      }
    }
    const streamsFromStored = storedLsn !== undefined && slot.exists && !snapshotUnfinished && this.snapshot === undefined
    if (configured.length > 0) await this.planSnapshots(streamsFromStored ? stored : undefined, configured, newlyPublished)
    this.context.logger.info({ slot: config.slot, startLsn: this.startLsn.toString(16), snapshot: this.snapshot !== undefined }, 'postgres source started')
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    if (this.connectionLost !== undefined) throw sourceError(`lost the connection to the database: ${this.connectionLost.message}`, this.connectionLost, true)
    // Streaming goes on without the admin connection (a server shutting down ends ordinary sessions
    // first and waits for the stream to confirm its last position); anything else starts over.
    if (this.adminLost !== undefined && (this.stream === undefined || this.stream.isEnded)) {
      throw sourceError(`lost the connection to the database: ${this.adminLost.message}`, this.adminLost, true)
    }
    if (this.finished) {
      await this.context.clock.sleep(this.config['poll.max.ms'], signal).catch(() => undefined)
      return []
    }
    if (this.snapshot !== undefined) return this.track(await this.pollSnapshot())
    if (this.config['snapshot.mode'] === 'initial_only') {
      this.finished = true
      return []
    }
    const stream = await this.openStream().catch((error: unknown) => {
      throw sourceError(`cannot start the replication stream: ${(error as Error).message}`, error, true, { slot: this.config.slot })
    })
    const reader = this.reader as StreamReader
    const incremental = this.incremental
    await incremental?.readNextChunk().catch((error: unknown) => {
      throw sourceError(`incremental snapshot failed: ${(error as Error).message}`, error, true, { table: incremental.progress.table })
    })
    const events = await stream.take(this.config['batch.size'], this.config['poll.max.ms'], signal).catch((error: unknown) => {
      throw sourceError(`replication stream failed: ${(error as Error).message}`, error, true, { slot: this.config.slot })
    })
    const records = await (incremental === undefined ? reader.accept(events) : incremental.accept(reader, events)).catch((error: unknown) => {
      throw error instanceof TributaryError ? error : sourceError(`cannot decode the changes: ${(error as Error).message}`, error, true, { slot: this.config.slot })
    })
    if (incremental !== undefined) await this.incrementalProgress(incremental, reader)
    // Tracked before the heartbeat: it may confirm the server's idle position only once these are durable too.
    const tracked = this.track(records)
    this.heartbeat(stream, reader)
    if (this.streamingOff === undefined && reader.heldStreamedChanges > this.config['streaming.max.held.changes'] && !reader.inTransaction) await this.turnStreamingOff(stream, reader)
    return tracked
  }

  /**
   * In-progress transactions hold more changes than allowed: drop them and read on without streaming
   * from just after the last transaction handed out. The server then sends them whole at their
   * commit, spilling to its own disk meanwhile. The slot stays confirmed where it was until the
   * records handed out are durable.
   */
  private async turnStreamingOff(stream: ReplicationStream, reader: StreamReader): Promise<void> {
    this.context.logger.warn({ held: reader.heldStreamedChanges, limit: this.config['streaming.max.held.changes'] }, 'in-progress transactions hold more changes than streaming.max.held.changes; streaming is off until the connector restarts')
    this.streamingOff = { confirmed: stream.confirmed }
    this.startLsn = reader.resumeLsn
    await stream.close()
    this.stream = undefined
    this.reportStreaming()
  }

  async commit(durable: readonly CommittedRecord[]): Promise<void> {
    this.inFlight -= durable.length
    let confirmable: Lsn | undefined
    for (const record of durable) {
      if (record.sourceOffset[TRANSACTION_END] === true && typeof record.sourceOffset.lsn === 'string') confirmable = parseLsn(record.sourceOffset.lsn)
    }
    if (confirmable !== undefined) this.stream?.confirm(confirmable)
  }

  async stop(): Promise<void> {
    await this.snapshot?.close()
    await this.incremental?.close()
    this.incremental = undefined
    await this.snapshotClient?.end().catch(() => undefined)
    await this.created?.release().catch(() => undefined)
    await this.stream?.close()
    if (this.config['slot.drop.on.stop'] && this.admin !== undefined) await dropReplicationSlot(this.admin, this.config.slot).catch(() => undefined)
    await this.admin?.end().catch(() => undefined)
    this.snapshot = undefined
    this.stream = undefined
    this.admin = undefined
  }

  /** A dropped connection (server restart) is noted and surfaces at the next poll, so the task restarts. */
  private watched(client: pg.Client, role: 'admin' | 'snapshot'): pg.Client {
    client.on('error', (error) => {
      if (role === 'admin') this.adminLost ??= error
      else this.connectionLost ??= error
      this.context.logger.warn({ err: error }, 'postgres connection lost')
    })
    return client
  }

  private track(records: SourceRecord[]): SourceRecord[] {
    this.inFlight += records.length
    return records
  }

  /** While nothing is open or in flight, confirm the server's own position so an idle slot pins no WAL. */
  private heartbeat(stream: ReplicationStream, reader: StreamReader): void {
    const interval = this.config['heartbeat.interval.ms']
    if (interval === 0 || Date.now() - this.lastHeartbeat < interval) return
    this.lastHeartbeat = Date.now()
    if (this.inFlight === 0 && reader.isIdle && stream.idlePosition > stream.confirmed) stream.confirm(stream.idlePosition)
    void this.reportSlot(stream)
  }

  /** The slot as the server sees it: the confirmed position and the WAL it keeps, with a warning when that grows. */
  private async reportSlot(stream: ReplicationStream): Promise<void> {
    if (this.admin === undefined || this.adminLost !== undefined || this.slotCheckRunning) return
    this.slotCheckRunning = true
    try {
      const state = await slotState(this.admin, this.config.slot)
      this.slotDetails = { slot: this.config.slot, confirmed_lsn: formatLsn(stream.confirmed), wal_retained_bytes: state.retainedWalBytes }
      this.reportStreaming()
      const limit = this.config['wal.retained.warn.bytes']
      if (limit > 0 && state.retainedWalBytes > limit) {
        this.context.logger.warn({ slot: this.config.slot, walRetainedBytes: state.retainedWalBytes, limit }, 'the replication slot keeps more WAL on the server than wal.retained.warn.bytes')
      }
    } catch {
      // The next heartbeat tries again; a lost connection surfaces through the poll.
    } finally {
      this.slotCheckRunning = false
    }
  }

  /** Streaming, with the progress of an incremental snapshot while one runs. */
  private reportStreaming(): void {
    const progress = this.incremental?.progress
    this.context.reportStatus(progress === undefined
      ? { phase: 'streaming', ...this.slotDetails, ...(this.config.streaming && { in_progress_streaming: this.streamingOff === undefined }) }
      : { phase: 'incremental_snapshot', ...this.slotDetails, snapshot_table: progress.table, snapshot_rows_done: progress.rowsDone, snapshot_rows_estimated: progress.rowsEstimated })
  }

  /**
   * Which tables to read while streaming: none after an initial snapshot (every configured table is
   * read then), else the configured tables the stored ledger has not read yet.
   */
  private async planSnapshots(stored: SourceOffset | undefined, configured: string[], newlyPublished: string[]): Promise<void> {
    const { config } = this
    if (stored === undefined) {
      this.snapshotOffset = ledgerOffset({ done: configured })
      return
    }
    const readsAddedTables = config['snapshot.mode'] === 'initial' || config['snapshot.mode'] === 'when_needed'
    const ledger = resumeLedger({ stored, configured, newlyPublished, readsAddedTables })
    this.snapshotOffset = ledgerOffset(ledger)
    if (ledger.incremental === undefined) return
    const client = this.watched(textClient(config.url), 'snapshot')
    await client.connect()
    const catalog = new Catalog(client, parseKeyColumns(config['message.key.columns']))
    this.incremental = await IncrementalSnapshot.open({ client, catalog, events: this.events as ChangeEvents, chunkRows: config['incremental.snapshot.chunk.rows'] ?? config['snapshot.chunk.rows'], ledger, logger: this.context.logger })
    this.context.logger.info({ tables: ledger.incremental.tables, resumeKey: ledger.incremental.key }, 'incremental snapshot of added tables')
  }

  /** Reports the incremental snapshot's progress; once it is done, streaming carries the final ledger. */
  private async incrementalProgress(incremental: IncrementalSnapshot, reader: StreamReader): Promise<void> {
    this.reportStreaming()
    if (!incremental.isDone) return
    this.snapshotOffset = incremental.offset
    reader.snapshotOffset = incremental.offset
    this.incremental = undefined
    await incremental.close()
    this.context.logger.info({ rows: incremental.progress.rowsDone }, 'incremental snapshot finished')
    this.reportStreaming()
  }

  private async openSnapshot(snapshotName: string | null, resume: SnapshotPosition | undefined): Promise<void> {
    const tables = this.config.tables.length > 0
      ? this.config.tables.map(tableName)
      : await (this.catalog as Catalog).publishedTables(this.config.publication)
    const { config } = this
    if (snapshotInThread(config['snapshot.thread'])) {
      const events = this.events as ChangeEvents
      this.snapshot = await SnapshotInThread.open({
        url: config.url, keyColumns: config['message.key.columns'], events: this.eventSettings as ChangeEventSettings, tables,
        chunkRows: config['snapshot.chunk.rows'], consistentPoint: this.startLsn, snapshotName, resume,
      }, events.partition)
      return
    }
    const client = this.watched(textClient(config.url), 'snapshot')
    await client.connect()
    this.snapshotClient = client
    this.snapshot = await SnapshotReader.open({ client, catalog: new Catalog(client, parseKeyColumns(config['message.key.columns'])), events: this.events as ChangeEvents, tables, chunkRows: config['snapshot.chunk.rows'], consistentPoint: this.startLsn, snapshotName, ...(resume && { resume }) })
  }

  private async pollSnapshot(): Promise<SourceRecord[]> {
    const snapshot = this.snapshot as SnapshotSource
    const records = await snapshot.next()
    const progress = snapshot.progress
    this.context.reportStatus({ phase: 'snapshot', snapshot_table: progress.table, snapshot_rows_done: progress.rowsDone, snapshot_rows_estimated: progress.rowsEstimated })
    if (records.length > 0) return records
    // Done: let the exported snapshot go and stream from the consistent point.
    await snapshot.close()
    await this.snapshotClient?.end().catch(() => undefined)
    await this.created?.release().catch(() => undefined)
    this.snapshot = undefined
    this.snapshotClient = undefined
    this.created = undefined
    this.context.logger.info({ rows: snapshot.progress.rowsDone }, 'snapshot finished; streaming')
    return []
  }

  private async openStream(): Promise<ReplicationStream> {
    if (this.stream !== undefined && !this.stream.isEnded) return this.stream
    await this.stream?.close()
    this.stream = await ReplicationStream.start({
      connectionString: this.config.url, slot: this.config.slot, publication: this.config.publication, startLsn: this.startLsn,
      ...(this.streamingOff !== undefined && { confirmedLsn: this.streamingOff.confirmed }),
      streaming: this.config.streaming && this.streamingOff === undefined,
      maxBuffered: this.config['batch.size'], isDrained: () => this.inFlight === 0 && this.reader?.isIdle === true,
    })
    const catalog = this.catalog as Catalog
    const events = this.events as ChangeEvents
    this.reader = new StreamReader({
      events,
      startLsn: this.startLsn,
      // A relation message comes first in a session and after a DDL change: the table is read again.
      onRelation: async (_id, { schema, table, columns }) => {
        // A table dropped since the change was made is known only by the message.
        const described = await catalog.tableColumns(schema, table, true).catch(() => [])
        const keyColumns = await catalog.keyColumns(schema, table).catch(() => columns.filter((column) => column.isKey).map((column) => column.name))
        await catalog.ensureTypes(columns.map((column) => column.typeOid))
        return events.streamedTable(schema, table, columns, described, keyColumns, catalog.lookup)
      },
    })
    // A new stream may start past a chunk's watermarks: that chunk is read again.
    this.incremental?.discardWindow()
    this.reader.snapshotOffset = this.incremental?.offset ?? this.snapshotOffset
    return this.stream
  }
}

/** `auto`: a thread of its own pays off only with a core to spare for it. */
function snapshotInThread(setting: PostgresSourceConfig['snapshot.thread']): boolean {
  return setting === 'auto' ? os.availableParallelism() > 2 : setting === 'true'
}

export const postgresSource = definePlugin({
  kind: 'source',
  name: 'postgres-cdc',
  aliases: ['io.debezium.connector.postgresql.PostgresConnector', 'PostgresConnector'],
  version: '0.1.0',
  description: 'Captures row changes from PostgreSQL by logical replication (pgoutput), with a consistent initial snapshot',
  config: postgresSourceConfig,
  taskConfigs: (config) => [config],
  targets: (config) => ({ hosts: databaseHosts(config.url) }),
  createTask: (context) => new PostgresSourceTask(context),
  async onDeleted(config) {
    const admin = textClient(config.url)
    admin.on('error', () => undefined)
    try {
      await admin.connect()
      await dropReplicationSlot(admin, config.slot)
    } finally {
      await admin.end().catch(() => undefined)
    }
  },
})
