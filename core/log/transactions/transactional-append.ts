/**
 * What EmbeddedLog.appendAs needs of a transaction to write its batches: the partitions join it at
 * the coordinator first, each write is checked against the producer's current epoch just before it
 * queues (a fenced producer writes nothing), and each batch carries the producer id, epoch and its
 * sequence. Types only, so the log and the producer that drives it need not import each other.
 */
import type { BatchProducer } from '../record-batch.ts'

export interface TransactionalAppend {
  /** Adds the topic's partitions to the open transaction (AddPartitionsToTxn). */
  join(partitions: readonly number[]): Promise<void>
  /** Throws unless the producer may still write to the partition in its transaction. */
  check(partition: number): void
  /** The producer fields of the partition's next batch of `count` records. */
  producer(partition: number, count: number): BatchProducer
}
