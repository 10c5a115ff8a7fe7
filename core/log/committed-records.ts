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

export function decodeCommittedRecords(
  batches: readonly Buffer[], aborted: readonly AbortedTransaction[], topic: string, partition: number, fromOffset: number, out: StoredRecord[],
): void {
  const pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset)
  let next = 0
  const abortedProducers = new Set<number>()
  for (const batch of batches) {
    const header = readBatchHeader(batch, 0)
    if (isTransactionalBatch(header.attributes)) {
      while (next < pending.length && pending[next]!.firstOffset <= header.lastOffset) abortedProducers.add(pending[next++]!.producerId)
      if (isControlBatch(header.attributes)) {
        if (controlBatchType(batch) === ControlRecordType.Abort) abortedProducers.delete(header.producerId)
        continue
      }
      if (abortedProducers.has(header.producerId)) continue
    }
    decodeBatchRecords(batch, topic, partition, fromOffset, out)
  }
}
