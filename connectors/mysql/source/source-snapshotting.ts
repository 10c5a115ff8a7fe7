/**
 * A mysql-cdc task's snapshotting phase (source.ts): the snapshot read chunk by chunk in its
 * consistent transaction, its progress reported as the task's status. Once every table is read it
 * ends the transaction and lets go of its connection and says it is done; streaming follows from
 * the snapshot's binlog position.
 */
import type { SourceRecord } from '../../../core/runtime/plugin.ts'
import type { OpenedSnapshot } from './source-connecting.ts'
import type { SourceConnection } from './source-connection.ts'
import { sourceError } from './source-errors.ts'
import type { StreamStart } from './source-streaming.ts'

export class Snapshotting {
  readonly kind = 'snapshotting'
  readonly connection: SourceConnection
  private readonly snapshot: OpenedSnapshot
  /** Where streaming starts once the snapshot is read. */
  readonly streamStart: StreamStart
  private done = false

  constructor(connection: SourceConnection, snapshot: OpenedSnapshot, streamStart: StreamStart) {
    this.connection = connection
    this.snapshot = snapshot
    this.streamStart = streamStart
  }

  /** Every table is read and the snapshot's connection let go. */
  get isDone(): boolean {
    return this.done
  }

  /** The next chunk of records; [] once the snapshot is done. */
  async poll(): Promise<SourceRecord[]> {
    const { reader, reason } = this.snapshot
    const { context } = this.connection
    const records = await reader.next().catch((error: unknown) => {
      throw sourceError('snapshot read failed', error, { table: reader.progress.table })
    })
    const progress = reader.progress
    context.reportStatus({
      phase: 'snapshot',
      snapshot_table: progress.table,
      snapshot_rows_done: progress.rowsDone,
      snapshot_rows_estimated: progress.rowsEstimated,
      ...(reason !== null && { snapshot_reason: reason }),
    })
    if (records.length > 0) return records
    await this.release()
    this.done = true
    const { from } = this.streamStart
    context.logger.info({ rows: progress.rowsDone, file: from.file, pos: from.pos }, 'snapshot finished; streaming')
    return []
  }

  async stop(): Promise<void> {
    if (!this.done) await this.release()
    await this.connection.close()
  }

  /** Ends the snapshot's transaction and its connection. */
  private async release(): Promise<void> {
    await this.snapshot.reader.close()
    await this.snapshot.connection
      .end()
      .catch((err: unknown) => this.connection.context.logger.debug({ err }, 'ending the snapshot connection failed'))
  }
}
