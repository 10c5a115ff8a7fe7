/**
 * A mysql-cdc task's streaming phase (source.ts): the binlog read as a replica reads it, from where
 * the snapshot (or the stored offset) left off. Row events are decoded with the table versions of
 * the schema history, which DDL in the binlog extends; while the captured tables are idle a
 * heartbeat carries the binlog's newer position into the stored offset.
 */
import type { SourceRecord } from '../../../core/runtime/plugin.ts'
import { BinlogStream, type BinlogPosition } from './binlog-stream.ts'
import { replicaServerId } from './config.ts'
import { gtidTracker } from './gtid-position.ts'
import type { Heartbeat } from './heartbeat.ts'
import type { SourceConnection } from './source-connection.ts'
import { sourceError } from './source-errors.ts'
import { StreamReader } from './stream-reader.ts'

/** Where streaming starts, and how. */
export interface StreamStart {
  readonly from: BinlogPosition
  /** The executed GTIDs at `from`, where known (null also when the server has none). */
  readonly gtids: string | null
  /** Resume from `gtids` rather than from `from`: the server finds the position. */
  readonly resumeByGtid: boolean
  /** Records of the first transaction at `from` that the log already has (the stored offset's `event`). */
  readonly skip: number
}

export class Streaming {
  readonly kind = 'streaming'
  readonly connection: SourceConnection
  private readonly start: StreamStart
  private readonly heartbeat: Heartbeat
  /** Set as soon as connected, so stop() closes it even if the reader could not be made. */
  private stream: BinlogStream | undefined
  /** The stream and its reader, once both are made. */
  private streaming: { stream: BinlogStream; reader: StreamReader } | undefined

  constructor(connection: SourceConnection, start: StreamStart, heartbeat: Heartbeat) {
    this.connection = connection
    this.start = start
    this.heartbeat = heartbeat
  }

  /** Connects to the binlog at the start position (at once, or at the first poll after a snapshot). */
  async open(): Promise<{ stream: BinlogStream; reader: StreamReader }> {
    const { context, config, settings, history, catalog, isCaptured } = this.connection
    const { start } = this
    const stream = await BinlogStream.start({
      settings,
      serverId: replicaServerId(config, context.connector),
      from: start.from,
      ...(start.resumeByGtid && start.gtids !== null && { gtids: start.gtids }),
      isCaptured,
      queueRows: 2 * config['batch.size'],
      history: {
        columnsAt: (database, table, position) => history.at(database, table, position)?.columnSchemas,
        onDdl: async (database, query, end) => {
          catalog.forget(database)
          for (const captured of await this.touchedTables(database, query)) await history.record(captured.database, captured.table, end)
        },
      },
    })
    this.stream = stream
    const reader = await this.newReader(stream)
    this.heartbeat.startAt(reader.idleOffset)
    this.streaming = { stream, reader }
    return this.streaming
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const { context, config } = this.connection
    try {
      const { stream, reader } = this.streaming ?? (await this.open())
      const records = await reader.accept(await stream.take(config['batch.size'], config['poll.max.ms'], signal))
      context.reportStatus({
        phase: 'streaming',
        binlog_file: reader.position.file,
        binlog_pos: reader.position.pos,
        binlog_queued_rows: stream.queuedRows,
      })
      const beat = this.heartbeat.after(records, reader.idleOffset)
      return beat === undefined ? records : [beat]
    } catch (error) {
      throw sourceError('binlog stream failed', error, { file: this.streaming?.reader.position.file ?? this.start.from.file })
    }
  }

  async stop(): Promise<void> {
    this.stream?.stop()
    this.stream = undefined
    this.streaming = undefined
    await this.connection.close()
  }

  private async newReader(stream: BinlogStream): Promise<StreamReader> {
    const { admin, isMariaDb, events, history, catalog, isCaptured, serverId } = this.connection
    const { start } = this
    return new StreamReader({
      gtids: await gtidTracker(admin, isMariaDb, start.from, start.gtids),
      events,
      shape: async (database, table, position) => history.at(database, table, position)?.shape ?? catalog.shape(database, table),
      isCaptured,
      start: start.from,
      skip: start.skip,
      serverId,
      eventOverheadBytes: stream.eventOverheadBytes,
    })
  }

  /** Captured tables a DDL statement may have changed: those of its default database or named in it. */
  private async touchedTables(database: string, query: string): Promise<Array<{ database: string; table: string }>> {
    const text = query.toLowerCase()
    return (await this.connection.catalog.tables(this.connection.isCaptured)).filter(
      (t) => t.database === database || text.includes(t.table.toLowerCase()),
    )
  }
}
