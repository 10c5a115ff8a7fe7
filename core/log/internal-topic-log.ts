/**
 * What the engine's coordinators need of the log they serve: they keep their state in its compacted
 * internal topics (`__consumer_offsets`, `__transaction_state`), created, written and read back
 * through this view of EmbeddedLog, not through the class, so the log and its coordinators need not
 * import each other.
 */
import type { Clock } from '../clock.ts'
import type { Log, ReadOptions } from './log.ts'
import type { PartitionRead } from './partition.ts'

/** A record of an internal topic that was skipped; never its value, which may hold a secret. */
export interface SkippedRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly reason: string
}

export interface InternalTopicLog extends Pick<Log, 'createTopic' | 'describeTopic' | 'read' | 'append'> {
  /** The log's clock, which the coordinators' timeouts run on. */
  readonly clock: Clock
  hasTopic(name: string): boolean
  /** Raw batches as stored. */
  readBatches(topic: string, partition: number, offset: number, options?: ReadOptions): Promise<PartitionRead>
  /** Appends an encoded batch (a transaction's commit of offsets, a marker); resolves once it is durable. */
  queueBatch(topic: string, partition: number, batch: Buffer): Promise<number>
  /** Tells the log's owner about a record of an internal topic that does not parse, which is skipped. */
  reportSkippedRecord(event: SkippedRecord): void
}
