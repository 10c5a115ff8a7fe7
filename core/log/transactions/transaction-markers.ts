/**
 * The second half of ending a transaction: a COMMIT or ABORT marker (a control batch of the
 * producer's id and epoch) appended durably to every partition the transaction wrote to. Readers at
 * read_committed then see its records or skip them, and the partition's last stable offset moves on.
 * A marker for `__consumer_offsets` also decides the transaction's pending offset commits there. A
 * partition deleted since the transaction wrote to it gets no marker, as Kafka skips one. Writing
 * markers again (after a crash between them) is harmless: a marker for a producer with no open
 * transaction in the partition changes nothing.
 */
import { TributaryError } from '../../errors.ts'
import { ControlRecordType, encodeEndTxnMarkerBatch } from '../control-record.ts'
import type { GroupCoordinator } from '../groups/coordinator.ts'
import { OFFSETS_TOPIC } from '../groups/offset-store.ts'
import type { InternalTopicLog } from '../internal-topic-log.ts'
import type { TransactionMetadata } from './transaction-state.ts'

/** The coordinator's epoch in the markers: one node that never hands coordination over. */
const COORDINATOR_EPOCH = 0

/** What writing markers needs of the log: the partitions a topic has now, the markers' append, and the group coordinator a marker in `__consumer_offsets` decides commits of. */
export interface MarkerLog extends Pick<InternalTopicLog, 'queueBatch'> {
  partitionCount(topic: string): Promise<number | undefined>
  groups(): Promise<GroupCoordinator>
}

export async function writeTransactionMarkers(
  log: MarkerLog,
  metadata: TransactionMetadata,
  isCommit: boolean,
  nowMs: number,
): Promise<void> {
  const marker = { type: isCommit ? ControlRecordType.Commit : ControlRecordType.Abort, coordinatorEpoch: COORDINATOR_EPOCH }
  const producer = { producerId: metadata.producerId, producerEpoch: metadata.producerEpoch }
  const touchesOffsets = metadata.partitions.some((tp) => tp.topic === OFFSETS_TOPIC)
  const groups = touchesOffsets ? await log.groups() : undefined
  await Promise.all(
    metadata.partitions.map(async ({ topic, partition }) => {
      const count = await log.partitionCount(topic)
      if (count === undefined || partition >= count) return
      try {
        await log.queueBatch(topic, partition, encodeEndTxnMarkerBatch(marker, 0, producer, nowMs))
      } catch (error) {
        // Deleted while the marker was on its way: nothing is left to mark.
        if (error instanceof TributaryError && error.code === 'TRB_TOPIC_NOT_FOUND') return
        throw error
      }
      if (topic === OFFSETS_TOPIC) groups!.onTransactionMarker(partition, metadata.producerId, isCommit)
    }),
  )
}
