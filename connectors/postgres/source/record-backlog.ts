/**
 * Keeps each poll of postgres-cdc's stream to about `batch.size` records. A transaction streamed
 * while in progress arrives whole at its commit (up to streaming.max.held.changes records), and
 * handed out as one poll it would be one batch: with exactly-once sources one log transaction,
 * larger than a Kafka broker takes in a request (message.max.bytes) and slow enough to near
 * transaction.timeout.ms. The records past the limit wait here for the next polls. A poll is cut
 * only after a record whose offset is a safe place to resume (a transaction's end, or a count of
 * the transaction's records handed out), so the batch's stored offset is exactly where it ends;
 * with no such record past the limit the rest goes out whole, as before.
 */
import type { SourceRecord } from '../../../core/runtime/plugin.ts'
import { TRANSACTION_END, TRANSACTION_RECORDS } from './stream-reader.ts'

export class RecordBacklog {
  private waiting: SourceRecord[] = []

  /** Nothing waits: what was decoded is all handed out. */
  get isEmpty(): boolean {
    return this.waiting.length === 0
  }

  /** The records to hand out now: waiting ones first, then `records`, cut after at most about `limit`. */
  take(records: readonly SourceRecord[], limit: number): SourceRecord[] {
    const all = this.waiting.length === 0 ? records : [...this.waiting, ...records]
    if (all.length <= limit) {
      this.waiting = []
      return all as SourceRecord[]
    }
    let cut = limit
    while (cut < all.length && !endsSafely(all[cut - 1] as SourceRecord)) cut++
    this.waiting = all.slice(cut)
    return all.slice(0, cut)
  }
}

function endsSafely(record: SourceRecord): boolean {
  return record.sourceOffset[TRANSACTION_END] === true || typeof record.sourceOffset[TRANSACTION_RECORDS] === 'number'
}
