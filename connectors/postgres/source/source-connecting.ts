/**
 * A postgres-cdc task's connecting phase (source.ts): it pins the url to the checked address,
 * connects, creates or extends the publication, finds the slot (dropping an invalidated one when
 * nothing is lost by it, creating a missing one), opens the initial snapshot when one is to be read
 * (in a thread of its own when a core is spare), and plans what streaming carries: the snapshot
 * ledger, and an incremental snapshot of tables added since. Should it fail halfway, its stop()
 * closes what it opened; once connected, the next phase owns all of it.
 */
import os from 'node:os'
import { connectError, maskText, type Logger, type SourceOffset, type SourceTaskContext } from '../../../core/runtime/plugin.ts'
import { positionLost } from '../../cdc-envelope/source-error.ts'
import { textClient } from './source-catalog.ts'
import { schemaSettings, type PostgresSourceConfig } from './config.ts'
import { ConnectionLoss } from './connection-loss.ts'
import { IncrementalSnapshot } from '../snapshot/incremental-snapshot.ts'
import { parseLsn, type Lsn } from './lsn.ts'
import { pinnedConnectionString, postgresTarget } from '../shared/pinned-url.ts'
import {
  createReplicationSlot,
  dropReplicationSlot,
  ensurePublication,
  partitionedAsPartitions,
  publishedWithoutIdentity,
  slotState,
  type CreatedSlot,
} from './slot.ts'
import { ledgerOffset, resumeLedger } from '../snapshot/snapshot-ledger.ts'
import { SnapshotInThread, type SnapshotSource } from '../snapshot/snapshot-in-thread.ts'
import { SnapshotReader, type SnapshotPosition } from '../snapshot/snapshot.ts'
import { SourceConnection, closeAdmin } from './source-connection.ts'
import { sourceError } from './source-errors.ts'
import type { StreamStart } from './source-streaming.ts'
import { resumeWithin } from './stream-reader.ts'
import { tableName } from '../snapshot/table-chunk.ts'

/** The initial snapshot, opened, and what to let go of once it is read. */
export interface OpenedSnapshot {
  readonly source: SnapshotSource
  readonly release: () => Promise<void>
}

/** What connecting hands to the phases after it. */
export interface Connected {
  readonly connection: SourceConnection
  /** The initial snapshot to read before streaming, when there is one. */
  readonly snapshot: OpenedSnapshot | undefined
  readonly streamStart: StreamStart
}

export class Connecting {
  readonly kind = 'connecting'
  private readonly context: SourceTaskContext<PostgresSourceConfig>
  /** The connector's version, for `source.version`. */
  private readonly version: string
  /** How to close what is open so far, in the order it was opened. */
  private readonly opened: Array<() => Promise<void>> = []

  constructor(context: SourceTaskContext<PostgresSourceConfig>, version: string) {
    this.context = context
    this.version = version
  }

  async connect(): Promise<Connected> {
    const { context } = this
    const target = postgresTarget(context.config.url) ?? { host: maskText(context.config.url), port: 5432 }
    let config: PostgresSourceConfig
    try {
      config = { ...context.config, url: await pinnedConnectionString(context.policy, context.config.url) }
    } catch (error) {
      throw connectError('TRB_SOURCE_READ', context.logger, target, error)
    }
    const loss = new ConnectionLoss(context)
    const admin = loss.watched(textClient(config.url), 'admin')
    this.opened.push(() => closeAdmin(admin, config, context.logger))
    await admin.connect().catch((error: unknown) => {
      throw connectError('TRB_SOURCE_READ', context.logger, target, error)
    })
    const database = (await admin.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? ''
    const connection = new SourceConnection(context, config, loss, admin, {
      prefix: config['topic.prefix'],
      database,
      topic: config.topic,
      tombstones: config['tombstones.on.delete'],
      skipped: config['skipped.operations'],
      version: this.version,
      schemas: schemaSettings(config),
    })
    const configured = config.tables.map((name) => {
      const { schema, table } = tableName(name)
      return `${schema}.${table}`
    })
    const newlyPublished = await ensurePublication(admin, config.publication, configured).catch((error: unknown) => {
      throw sourceError(`cannot create or extend publication "${config.publication}"`, error, { publication: config.publication })
    })
    const unidentified = await publishedWithoutIdentity(admin, config.publication)
    if (unidentified.length > 0) {
      context.logger.warn(
        { publication: config.publication, tables: unidentified },
        `these published tables have no primary key or replica identity: PostgreSQL now refuses UPDATE and DELETE on them, to every client. Add a primary key, or ALTER TABLE ... REPLICA IDENTITY FULL`,
      )
    }
    const splitTables = await partitionedAsPartitions(admin, config.publication, configured)
    if (splitTables.length > 0) {
      context.logger.warn(
        { publication: config.publication, tables: splitTables },
        `publication "${config.publication}" publishes these partitioned tables as their partitions: their changes go to a topic per partition, their snapshot to the table's own. ALTER PUBLICATION ... SET (publish_via_partition_root = true) sends both to the table's topic`,
      )
    }
    const stored = await context.storedOffset(connection.events.sourcePartition)
    let slot = await slotState(admin, config.slot)
    const storedLsn = typeof stored?.lsn === 'string' ? parseLsn(stored.lsn) : undefined
    const snapshotUnfinished = stored?.snapshot === 'true' && stored.snapshot_completed !== true
    const wantsSnapshot = config['snapshot.mode'] !== 'no_data'
    if (slot.lost) {
      // Nothing to lose without an offset to resume from (or with when_needed): the slot starts over.
      if (storedLsn !== undefined && !snapshotUnfinished && config['snapshot.mode'] !== 'when_needed') {
        throw positionLost(
          `replication slot "${config.slot}" was invalidated by the server: it held back more WAL than max_slot_wal_keep_size allows, and the changes since this connector's offset (${String(stored?.lsn)}) are gone. Use snapshot.mode when_needed to snapshot again on a new slot, or reset the offsets (stop, then DELETE /connectors/{name}/offsets)`,
          { slot: config.slot },
        )
      }
      context.logger.warn({ slot: config.slot }, 'replication slot was invalidated by the server; dropping it to start over')
      await dropReplicationSlot(admin, config.slot)
      slot = await slotState(admin, config.slot)
    }
    let startLsn: Lsn
    let snapshot: OpenedSnapshot | undefined
    if (!slot.exists) {
      if (storedLsn !== undefined && !snapshotUnfinished && config['snapshot.mode'] !== 'when_needed') {
        throw positionLost(
          `replication slot "${config.slot}" is missing but this connector has an offset (${String(stored?.lsn)}): the changes since then are gone. Reset the offsets (stop, then DELETE /connectors/{name}/offsets) to snapshot again, or use snapshot.mode when_needed`,
          { slot: config.slot },
        )
      }
      const created = await createReplicationSlot(config.url, config.slot, wantsSnapshot)
      startLsn = created.consistentPoint
      if (wantsSnapshot) {
        this.opened.push(() => releaseSlot(created, context.logger, config.slot))
        snapshot = await this.openSnapshot(connection, startLsn, created.snapshotName, undefined, created)
      } else {
        // Without an exported snapshot to hold, the connection that created the slot has no more to do.
        await releaseSlot(created, context.logger, config.slot)
      }
    } else {
      startLsn = storedLsn ?? slot.confirmedFlushLsn ?? 0n
      if (wantsSnapshot && (snapshotUnfinished || stored === undefined)) {
        const resume: SnapshotPosition | undefined =
          snapshotUnfinished && typeof stored?.snapshot_table === 'string' && typeof stored.snapshot_key === 'string'
            ? { table: stored.snapshot_table, key: JSON.parse(stored.snapshot_key) as string[] }
            : undefined
        snapshot = await this.openSnapshot(connection, startLsn, null, resume, undefined)
      }
    }
    const streamsFromStored = storedLsn !== undefined && slot.exists && !snapshotUnfinished && snapshot === undefined
    const planned =
      configured.length > 0
        ? await this.planSnapshots(connection, streamsFromStored ? stored : undefined, configured, newlyPublished)
        : { snapshotOffset: {}, incremental: undefined }
    context.logger.info({ slot: config.slot, startLsn: startLsn.toString(16), snapshot: snapshot !== undefined }, 'postgres source started')
    // Handed over: the next phase closes all of it.
    this.opened.length = 0
    // A stored offset inside a transaction: the records of it already in the log are skipped.
    return { connection, snapshot, streamStart: { startLsn, within: streamsFromStored ? resumeWithin(stored) : undefined, ...planned } }
  }

  /** Closes what a connect() that failed halfway opened, the newest first. */
  async stop(): Promise<void> {
    for (const close of this.opened.splice(0).reverse()) await close()
  }

  /**
   * Which tables to read while streaming: none after an initial snapshot (every configured table is
   * read then), else the configured tables the stored ledger has not read yet.
   */
  private async planSnapshots(
    connection: SourceConnection,
    stored: SourceOffset | undefined,
    configured: string[],
    newlyPublished: string[],
  ): Promise<Omit<StreamStart, 'startLsn'>> {
    const { config, context } = connection
    if (stored === undefined) return { snapshotOffset: ledgerOffset({ done: configured }), incremental: undefined }
    const readsAddedTables = config['snapshot.mode'] === 'initial' || config['snapshot.mode'] === 'when_needed'
    const ledger = resumeLedger({ stored, configured, newlyPublished, readsAddedTables })
    const snapshotOffset = ledgerOffset(ledger)
    if (ledger.incremental === undefined) return { snapshotOffset, incremental: undefined }
    const client = await connection.readingClient()
    this.opened.push(() =>
      client.end().catch((err: unknown) => context.logger.debug({ err }, 'ending the incremental snapshot connection failed')),
    )
    const incremental = await IncrementalSnapshot.open({
      client,
      catalog: connection.catalogOf(client),
      events: connection.events,
      chunkRows: config['incremental.snapshot.chunk.rows'] ?? config['snapshot.chunk.rows'],
      ledger,
      logger: context.logger,
    })
    this.opened.push(() => incremental.close())
    context.logger.info({ tables: ledger.incremental.tables, resumeKey: ledger.incremental.key }, 'incremental snapshot of added tables')
    return { snapshotOffset, incremental }
  }

  private async openSnapshot(
    connection: SourceConnection,
    consistentPoint: Lsn,
    snapshotName: string | null,
    resume: SnapshotPosition | undefined,
    created: CreatedSlot | undefined,
  ): Promise<OpenedSnapshot> {
    const { config, catalog, events, eventSettings, context } = connection
    const tables = config.tables.length > 0 ? config.tables.map(tableName) : await catalog.publishedTables(config.publication)
    const release = () => releaseSlot(created, context.logger, config.slot)
    if (snapshotInThread(config['snapshot.thread'])) {
      const source = await SnapshotInThread.open(
        {
          url: config.url,
          keyColumns: config['message.key.columns'],
          events: eventSettings,
          tables,
          chunkRows: config['snapshot.chunk.rows'],
          consistentPoint,
          snapshotName,
          resume,
        },
        events.sourcePartition,
      )
      this.opened.push(() => source.close())
      return { source, release }
    }
    const client = await connection.readingClient()
    const endClient = () => client.end().catch((err: unknown) => context.logger.debug({ err }, 'ending the snapshot connection failed'))
    this.opened.push(endClient)
    const source = await SnapshotReader.open({
      client,
      catalog: connection.catalogOf(client),
      events,
      tables,
      chunkRows: config['snapshot.chunk.rows'],
      consistentPoint,
      snapshotName,
      ...(resume && { resume }),
    })
    this.opened.push(() => source.close())
    return {
      source,
      release: async () => {
        await endClient()
        await release()
      },
    }
  }
}

/** Ends the connection that created the slot and held its exported snapshot: a failure there loses nothing, so it is only logged. */
async function releaseSlot(created: CreatedSlot | undefined, logger: Logger, slot: string): Promise<void> {
  await created?.release().catch((err: unknown) => logger.debug({ err, slot }, "closing the slot's creating connection failed"))
}

/** `auto`: a thread of its own pays off only with a core to spare for it. */
function snapshotInThread(setting: PostgresSourceConfig['snapshot.thread']): boolean {
  return setting === 'auto' ? os.availableParallelism() > 2 : setting === 'true'
}
