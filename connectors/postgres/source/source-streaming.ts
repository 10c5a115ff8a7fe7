/**
 * A postgres-cdc task's streaming phase (source.ts): changes read from the slot from where the
 * snapshot (or the stored offset) left off, with an incremental snapshot of added tables alongside
 * while one runs. The stream is opened at the first poll and again after it ended; the slot is
 * confirmed as the records become durable, and while nothing is in flight a heartbeat confirms the
 * server's own position so an idle slot pins no WAL. In-progress transactions that hold more changes
 * than allowed turn streaming off for the rest of the run. A stream opened again resumes just after
 * the records already handed out (inside a transaction, when a poll ended in one), so an ended
 * stream replays nothing into the log. A stream that fails after serving changes (its walsender
 * terminated) is opened again the same way; opening it failing fails the task.
 */
import type { CommittedRecord, SourceOffset, SourceRecord, TaskDetails } from '../../../core/runtime/plugin.ts'
import type { IncrementalSnapshot } from '../snapshot/incremental-snapshot.ts'
import { formatLsn, parseLsn, type Lsn } from './lsn.ts'
import { RecordBacklog } from './record-backlog.ts'
import { ReplicationStream, type ReplicationEvent } from './replication-stream.ts'
import { slotState } from './slot.ts'
import type { SourceConnection } from './source-connection.ts'
import { sourceError } from './source-errors.ts'
import { StreamReader, TRANSACTION_END, type ResumeWithin } from './stream-reader.ts'

/** Where streaming starts: the position, the snapshot ledger streamed records carry, and an incremental snapshot to run alongside. */
export interface StreamStart {
  readonly startLsn: Lsn
  /** The stored offset ends inside the first transaction after startLsn: the records of it to skip. */
  readonly within?: ResumeWithin | undefined
  /** The snapshot ledger every streamed record's offset carries (snapshot/snapshot-ledger.ts). */
  readonly snapshotOffset: SourceOffset
  readonly incremental: IncrementalSnapshot | undefined
}

export class Streaming {
  readonly kind = 'streaming'
  readonly connection: SourceConnection
  private startLsn: Lsn
  private within: ResumeWithin | undefined
  private snapshotOffset: SourceOffset
  /** Until it is done. */
  private incremental: IncrementalSnapshot | undefined
  /** None before the first poll and while streaming is being turned off; opened again once it ended. */
  private stream: ReplicationStream | undefined
  /** The newest stream's reader. */
  private reader: StreamReader | undefined
  /** Set when streaming was turned off for this run: the position the slot stays confirmed at meanwhile. */
  private streamingOff: { confirmed: Lsn } | undefined
  /** Decoded records past a poll's batch.size, handed out by the next polls. */
  private readonly backlog = new RecordBacklog()
  /** The newest stream has handed over changes: should it fail, opening it again is worth a try. */
  private streamServed = false
  private slotDetails: TaskDetails = {}
  private lastHeartbeat = Date.now()
  private slotCheckRunning = false

  constructor(connection: SourceConnection, start: StreamStart) {
    this.connection = connection
    this.startLsn = start.startLsn
    this.within = start.within
    this.snapshotOffset = start.snapshotOffset
    this.incremental = start.incremental
  }

  /** The stream lives: losing the admin connection can wait. */
  get isStreaming(): boolean {
    return this.stream !== undefined && !this.stream.isEnded
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const { config } = this.connection
    if (!this.backlog.isEmpty) return this.handOut(this.backlog.take([], config['batch.size']))
    const { stream, reader } = await this.openStream().catch((error: unknown) => {
      throw sourceError('cannot start the replication stream', error, { slot: config.slot })
    })
    const incremental = this.incremental
    await incremental?.readNextChunk().catch((error: unknown) => {
      throw sourceError('incremental snapshot failed', error, { table: incremental.progress.table })
    })
    let events: ReplicationEvent[]
    try {
      events = await stream.take(config['batch.size'], config['poll.max.ms'], signal)
    } catch (error) {
      // A stream that served and then failed (its walsender terminated, say) is opened again by the next poll,
      // on after what was handed out; one that failed before serving anything fails the task, which tells why.
      if (!this.streamServed) throw sourceError('replication stream failed', error, { slot: config.slot })
      this.connection.context.logger.warn({ err: error, slot: config.slot }, 'the replication stream failed; opening it again')
      return []
    }
    if (events.length > 0) this.streamServed = true
    const records = await (incremental === undefined ? reader.accept(events) : incremental.accept(reader, events)).catch(
      (error: unknown) => {
        throw sourceError('cannot decode the changes', error, { slot: config.slot })
      },
    )
    if (incremental !== undefined) await this.incrementalProgress(incremental, reader)
    // Counted before the heartbeat: it may confirm the server's idle position only once these are durable too.
    const handedOut = this.handOut(this.backlog.take(records, config['batch.size']))
    this.heartbeat(stream, reader)
    if (this.streamingOff === undefined && reader.heldStreamedChanges > config['streaming.max.held.changes'] && !reader.inTransaction)
      await this.turnStreamingOff(stream, reader)
    return handedOut
  }

  /** Records handed out are in flight until commit() says they are durable. */
  private handOut(records: SourceRecord[]): SourceRecord[] {
    this.connection.inFlight += records.length
    return records
  }

  /** Confirms the slot up to the last transaction end among the durable records. */
  commit(durable: readonly CommittedRecord[]): void {
    let confirmable: Lsn | undefined
    for (const record of durable) {
      if (record.sourceOffset[TRANSACTION_END] === true && typeof record.sourceOffset.lsn === 'string')
        confirmable = parseLsn(record.sourceOffset.lsn)
    }
    if (confirmable !== undefined) this.stream?.confirm(confirmable)
  }

  async stop(): Promise<void> {
    await this.incremental?.close()
    this.incremental = undefined
    await this.stream?.close()
    this.stream = undefined
    await this.connection.close()
  }

  /**
   * In-progress transactions hold more changes than allowed: drop them and read on without streaming
   * from just after the last transaction handed out. The server then sends them whole at their
   * commit, spilling to its own disk meanwhile. The slot stays confirmed where it was until the
   * records handed out are durable.
   */
  private async turnStreamingOff(stream: ReplicationStream, reader: StreamReader): Promise<void> {
    const { context, config } = this.connection
    context.logger.warn(
      { held: reader.heldStreamedChanges, limit: config['streaming.max.held.changes'] },
      'in-progress transactions hold more changes than streaming.max.held.changes; streaming is off until the connector restarts',
    )
    this.streamingOff = { confirmed: stream.confirmed }
    await stream.close()
    this.stream = undefined
    this.reportStreaming()
  }

  /** Nothing in flight, waiting to be handed out, or open in the stream: the server's idle position may be confirmed. */
  private isDrained(reader: StreamReader): boolean {
    return this.connection.inFlight === 0 && this.backlog.isEmpty && reader.isIdle
  }

  /** While nothing is open or in flight, confirm the server's own position so an idle slot pins no WAL. */
  private heartbeat(stream: ReplicationStream, reader: StreamReader): void {
    const interval = this.connection.config['heartbeat.interval.ms']
    if (interval === 0 || Date.now() - this.lastHeartbeat < interval) return
    this.lastHeartbeat = Date.now()
    if (this.isDrained(reader) && stream.idlePosition > stream.confirmed) stream.confirm(stream.idlePosition)
    void this.reportSlot(stream)
  }

  /** The slot as the server sees it: the confirmed position and the WAL it keeps, with a warning when that grows. */
  private async reportSlot(stream: ReplicationStream): Promise<void> {
    const { admin, config, context, loss } = this.connection
    if (!loss.adminAlive || this.slotCheckRunning) return
    this.slotCheckRunning = true
    try {
      const state = await slotState(admin, config.slot)
      this.slotDetails = { slot: config.slot, confirmed_lsn: formatLsn(stream.confirmed), wal_retained_bytes: state.retainedWalBytes }
      this.reportStreaming()
      const limit = config['wal.retained.warn.bytes']
      if (limit > 0 && state.retainedWalBytes > limit) {
        context.logger.warn(
          { slot: config.slot, walRetainedBytes: state.retainedWalBytes, limit },
          'the replication slot keeps more WAL on the server than wal.retained.warn.bytes',
        )
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
    const { context, config } = this.connection
    context.reportStatus(
      progress === undefined
        ? { phase: 'streaming', ...this.slotDetails, ...(config.streaming && { in_progress_streaming: this.streamingOff === undefined }) }
        : {
            phase: 'incremental_snapshot',
            ...this.slotDetails,
            snapshot_table: progress.table,
            snapshot_rows_done: progress.rowsDone,
            snapshot_rows_estimated: progress.rowsEstimated,
          },
    )
  }

  /** Reports the incremental snapshot's progress; once it is done, streaming carries the final ledger. */
  private async incrementalProgress(incremental: IncrementalSnapshot, reader: StreamReader): Promise<void> {
    this.reportStreaming()
    if (!incremental.isDone) return
    this.snapshotOffset = incremental.offset
    reader.snapshotOffset = incremental.offset
    this.incremental = undefined
    await incremental.close()
    this.connection.context.logger.info({ rows: incremental.progress.rowsDone }, 'incremental snapshot finished')
    this.reportStreaming()
  }

  /** The stream and its reader: the open one, or a new one. */
  private async openStream(): Promise<{ stream: ReplicationStream; reader: StreamReader }> {
    if (this.stream !== undefined && !this.stream.isEnded && this.reader !== undefined) return { stream: this.stream, reader: this.reader }
    await this.stream?.close()
    // Opened again: on after what was handed out, with the slot confirmed only as far as before, until those records are durable.
    const confirmedLsn = this.stream?.confirmed ?? this.streamingOff?.confirmed
    if (this.reader !== undefined) ({ lsn: this.startLsn, within: this.within } = this.reader.resumePosition)
    const { config, catalog, events } = this.connection
    const stream = await ReplicationStream.start({
      connectionString: config.url,
      slot: config.slot,
      publication: config.publication,
      startLsn: this.startLsn,
      ...(confirmedLsn !== undefined && { confirmedLsn }),
      streaming: config.streaming && this.streamingOff === undefined,
      maxBuffered: config['batch.size'],
      isDrained: () => this.reader !== undefined && this.isDrained(this.reader),
    })
    this.stream = stream
    this.streamServed = false
    const reader = new StreamReader({
      events,
      startLsn: this.startLsn,
      ...(this.within !== undefined && { within: this.within }),
      // A relation message comes first in a session and after a DDL change: the table is read again.
      onRelation: async (_id, { schema, table, columns }) => {
        // A table dropped since the change was made is known only by the message.
        const described = await catalog.tableColumns(schema, table, true).catch(() => [])
        const keyColumns = await catalog
          .keyColumns(schema, table)
          .catch(() => columns.filter((column) => column.isKey).map((column) => column.name))
        await catalog.ensureTypes(columns.map((column) => column.typeOid))
        return events.streamedTable(schema, table, columns, described, keyColumns, catalog.lookup)
      },
    })
    // A new stream may start past a chunk's watermarks: that chunk is read again.
    this.incremental?.discardWindow()
    this.reader = reader
    reader.snapshotOffset = this.incremental?.offset ?? this.snapshotOffset
    return { stream, reader }
  }
}
