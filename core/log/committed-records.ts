/**
 * A read_committed reader's side of transactions, as Kafka's consumer does it: the fetch lists the
 * aborted transactions (producer id, first offset) overlapping the batches; walking the batches in
 * offset order, a producer joins the aborted set once a batch reaches its aborted transaction's first
 * offset, its transactional batches are skipped while it is there, and its ABORT marker takes it out.
 * Control batches are never user records. Batches outside transactions always count.
 */
import { ControlRecordType, controlBatchType } from './control-record.ts'
import type { StoredRecord } from './log.ts'
import { decodeBatchRecords, isControlBatch, isTransactionalBatch, readBatchHeader } from './record-batch.ts'
import type { AbortedTransaction } from './transaction-index.ts'

/** What the filter needs to know of a batch. */
export interface BatchOutline {
  readonly producerId: number
  readonly lastOffset: number
  readonly transactional: boolean
  readonly control: boolean
  /** A control batch carrying an ABORT marker. */
  readonly abortMarker: boolean
}

export class ReadCommittedFilter {
  private readonly pending: AbortedTransaction[]
  private next = 0
  private readonly abortedProducers = new Set<number>()

  constructor(aborted: readonly AbortedTransaction[]) {
    this.pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset)
  }

  /** Whether a read_committed reader skips the batch; ask for each batch in offset order. */
  skips(batch: BatchOutline): boolean {
    if (!batch.transactional) return batch.control
    while (this.next < this.pending.length && this.pending[this.next]!.firstOffset <= batch.lastOffset)
      this.abortedProducers.add(this.pending[this.next++]!.producerId)
    if (batch.control) {
      if (batch.abortMarker) this.abortedProducers.delete(batch.producerId)
      return true
    }
    return this.abortedProducers.has(batch.producerId)
  }
}

export function decodeCommittedRecords(
  batches: readonly Buffer[],
  aborted: readonly AbortedTransaction[],
  topic: string,
  partition: number,
  fromOffset: number,
  out: StoredRecord[],
): void {
  const filter = new ReadCommittedFilter(aborted)
  for (const batch of batches) {
    const header = readBatchHeader(batch, 0)
    const control = isControlBatch(header.attributes)
    const outline = {
      producerId: header.producerId,
      lastOffset: header.lastOffset,
      transactional: isTransactionalBatch(header.attributes),
      control,
      abortMarker: control && controlBatchType(batch) === ControlRecordType.Abort,
    }
    if (!filter.skips(outline)) decodeBatchRecords(batch, topic, partition, fromOffset, out)
  }
}
