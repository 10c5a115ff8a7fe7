/**
 * A postgres-cdc task's snapshotting phase (source.ts): the initial snapshot read chunk by chunk,
 * its progress reported as the task's status. Once every table is read it lets go of what only the
 * snapshot needed (its connection, the slot's exported snapshot) and says it is done; streaming
 * follows from the slot's consistent point.
 */
import type { SourceRecord } from '../../../core/runtime/plugin.ts'
import type { SnapshotSource } from '../snapshot/snapshot-in-thread.ts'
import type { SourceConnection } from './source-connection.ts'
import type { StreamStart } from './source-streaming.ts'

export class Snapshotting {
  readonly kind = 'snapshotting'
  readonly connection: SourceConnection
  private readonly snapshot: SnapshotSource
  /** Lets go of what only the snapshot needs: its connection, the slot's exported snapshot. */
  private readonly release: () => Promise<void>
  /** Where streaming starts once the snapshot is read. */
  readonly streamStart: StreamStart
  private done = false

  constructor(connection: SourceConnection, snapshot: SnapshotSource, release: () => Promise<void>, streamStart: StreamStart) {
    this.connection = connection
    this.snapshot = snapshot
    this.release = release
    this.streamStart = streamStart
  }

  /** Every table is read and what the snapshot held is let go. */
  get isDone(): boolean {
    return this.done
  }

  /** The next chunk of records; [] once the snapshot is done. */
  async poll(): Promise<SourceRecord[]> {
    const { snapshot } = this
    const records = await snapshot.next()
    const progress = snapshot.progress
    this.connection.context.reportStatus({
      phase: 'snapshot',
      snapshot_table: progress.table,
      snapshot_rows_done: progress.rowsDone,
      snapshot_rows_estimated: progress.rowsEstimated,
    })
    if (records.length > 0) return records
    // Done: let the exported snapshot go and stream from the consistent point.
    await snapshot.close()
    await this.release()
    this.done = true
    this.connection.context.logger.info({ rows: snapshot.progress.rowsDone }, 'snapshot finished; streaming')
    return []
  }

  async stop(): Promise<void> {
    if (!this.done) {
      await this.snapshot.close()
      await this.release()
    }
    await this.connection.close()
  }
}
