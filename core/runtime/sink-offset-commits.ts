/**
 * The committing side of a sink task's loop (sink-task-runner.ts): a flushed batch's offsets go to
 * the group one batch after another, in order, while the loop puts and flushes the next batches, so
 * the store's round trips need not wait for the log's. The first failure is kept and thrown where the
 * loop next checks (throwIfFailed). A commit the group refuses because of a rebalance is no failure:
 * the partitions' new owner starts from the last commit, and reads the batch again.
 */
import { isTributaryError } from '../errors.ts'
import type { GroupConsumer, Log, StoredRecord, TopicPartitionOffset } from '../log/log.ts'
import type { Logger } from '../logger.ts'
import type { RecordsInHand } from './records-in-hand.ts'
import { isRetriable } from './retry.ts'
import type { TaskMetrics } from './task-metrics.ts'

/** What commits need of the task's run. */
interface CommitContext {
  readonly log: Log
  readonly logger: Logger
  readonly metrics: TaskMetrics
}

export class SinkOffsetCommits {
  private readonly consumer: GroupConsumer
  private readonly run: CommitContext
  private readonly inHand: RecordsInHand
  /** Exactly-once: a batch's offsets are committed in its flush's transaction, not here. */
  private readonly isExactlyOnce: boolean
  /** What this task last committed of each partition (topic NUL partition → offset). */
  private readonly committed = new Map<string, number>()
  private queue: Promise<void> = Promise.resolve()
  private failure: { error: unknown } | undefined

  constructor(consumer: GroupConsumer, run: CommitContext, inHand: RecordsInHand, isExactlyOnce: boolean) {
    this.consumer = consumer
    this.run = run
    this.inHand = inHand
    this.isExactlyOnce = isExactlyOnce
  }

  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error
  }

  /** Every commit queued so far, done; rejects with the first failure. */
  settled(): Promise<void> {
    return this.queue
  }

  /** Offsets a flush's transaction committed (exactly-once). */
  noteCommitted(offsets: readonly TopicPartitionOffset[]): void {
    for (const { topic, partition, offset } of offsets) this.committed.set(`${topic}\0${partition}`, offset)
  }

  /** Queues a flushed batch's commit: its offsets (unless its transaction committed them) and its lag. */
  commitFlushed(stored: readonly StoredRecord[], count: number): void {
    this.enqueue(async () => {
      this.run.metrics.recordsPut(count)
      if (!this.isExactlyOnce) await this.commitOffsets(nextOffsets(stored))
      await reportLag(stored, this.run)
      this.inHand.remove(stored)
    })
  }

  /**
   * Called when a poll came back empty and every batch before it is flushed: a read_committed
   * consumer's position may then stand past the last record delivered, after a commit or abort
   * marker. Committing it, as a Java consumer commits its position, leaves the group no lag of one
   * behind each transaction. Only partitions this task has committed before are moved.
   */
  commitPositions(): void {
    const moved: TopicPartitionOffset[] = []
    for (const { topic, partition } of this.consumer.assignment()) {
      const position = this.consumer.position(topic, partition)
      const last = this.committed.get(`${topic}\0${partition}`)
      if (position !== undefined && last !== undefined && position > last) moved.push({ topic, partition, offset: position })
    }
    if (moved.length === 0) return
    this.enqueue(async () => {
      await this.commitOffsets(moved)
      for (const { topic, partition, offset } of moved) await reportLagFrom(this.run, topic, partition, offset)
    })
  }

  private enqueue(commit: () => Promise<void>): void {
    this.queue = this.queue.then(commit)
    this.queue.catch((error: unknown) => (this.failure ??= { error }))
  }

  /** Commits offsets and notes them in `committed` once the group has them. */
  private async commitOffsets(next: readonly TopicPartitionOffset[]): Promise<void> {
    try {
      await this.consumer.commit(next)
      this.noteCommitted(next)
    } catch (error) {
      // A rebalance took the partitions away: their new owner starts from the last commit (redelivery).
      if (isTributaryError(error) && error.code.startsWith('TRB_GROUP_')) {
        this.run.logger.info({ code: error.code }, 'offset commit refused by a rebalance; records will be redelivered')
        return
      }
      // The coordinator moving or out of reach, as Kafka Connect treats it: the records are written and
      // the next commit covers them; only a restart before it would deliver them again.
      if (!isRetriable(error)) throw error
      this.run.logger.warn({ code: error.code, err: error }, 'offset commit failed; the next commit covers these records')
    }
  }
}

/** The offsets to commit after a batch: one past the last record of each partition in it. */
export function nextOffsets(stored: readonly StoredRecord[]): TopicPartitionOffset[] {
  return lastOfEachPartition(stored).map((record) => ({ topic: record.topic, partition: record.partition, offset: record.offset + 1 }))
}

/** Lag behind what was just flushed (the consumer's position is already past the batch read ahead). */
async function reportLag(stored: readonly StoredRecord[], run: CommitContext): Promise<void> {
  for (const { topic, partition, offset } of lastOfEachPartition(stored)) await reportLagFrom(run, topic, partition, offset + 1)
}

/** The lag gauge of a partition read up to `position`; when its leader is out of reach it keeps its last value. */
async function reportLagFrom(run: CommitContext, topic: string, partition: number, position: number): Promise<void> {
  const end = await run.log.listOffset(topic, partition, 'latest').catch((error: unknown) => {
    if (isRetriable(error)) return undefined
    throw error
  })
  if (end !== undefined) run.metrics.lag(topic, partition, Math.max(0, end - position))
}

/**
 * The last record of each topic-partition in a batch (a partition's records are in offset order).
 * A batch holds runs of one partition, so a key is built per run, not per record.
 */
export function lastOfEachPartition(stored: readonly StoredRecord[]): StoredRecord[] {
  const last = new Map<string, StoredRecord>()
  for (let index = 0; index < stored.length; index++) {
    const record = stored[index] as StoredRecord
    const following = stored[index + 1]
    if (following === undefined || following.partition !== record.partition || following.topic !== record.topic)
      last.set(`${record.topic}\0${record.partition}`, record)
  }
  return [...last.values()]
}
