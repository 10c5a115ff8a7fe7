/**
 * Exactly-once topic pipelines (what Kafka Streams' exactly_once_v2 does for topic → process →
 * topic): a sink whose store is the log (`producesToLog`) has what a flush produces held, not
 * appended; once the flush resolves, one transaction of the task's own transactional producer appends
 * it and moves the sink's group offsets past the batch it came from (sendOffsetsToTransaction), then
 * commits. read_committed readers see the output and the offsets move together, or neither.
 *
 * A failure before the commit aborts, and the same held output and offsets go again in a new
 * transaction (an aborted one is never seen). A failed commit has an outcome only the coordinator
 * knows: the task fails instead and restarts, its new producer settles the transaction (fencing this
 * one) before the new consumer reads the committed offsets, and the batches after them come again.
 */
import { isTributaryError, TributaryError } from '../errors.ts'
import type { LogRecord, TopicPartitionOffset, TransactionalProducer } from '../log/log.ts'
import { withRetry, type RetryPolicy } from './retry.ts'

/** The transactional id of a sink task: unique per worker group (its storage prefix), connector and task. */
export function sinkTransactionalId(storagePrefix: string, connector: string, taskId: number): string {
  return `${storagePrefix}sink-${connector}-${taskId}`
}

/** What one flush attempt produced, by topic, in order; a new attempt starts empty. */
export class HeldOutput {
  private held = new Map<string, LogRecord[]>()

  /** A flush attempt starts: what an earlier, failed attempt produced is dropped (the sink produces its buffer again). */
  restart(): void {
    this.held = new Map()
  }

  add(topic: string, records: readonly LogRecord[]): void {
    const list = this.held.get(topic) ?? []
    list.push(...records)
    this.held.set(topic, list)
  }

  /** The flush's output, leaving nothing held. */
  take(): ReadonlyMap<string, readonly LogRecord[]> {
    const taken = this.held
    this.held = new Map()
    return taken
  }
}

export interface SinkTransactionContext {
  readonly producer: TransactionalProducer
  readonly groupId: string
  readonly ensureTopic: (topic: string) => Promise<void>
}

/** Appends a flush's output and commits the group's offsets in one transaction, retried whole until the commit is sent. */
export async function commitFlushInTransaction(
  run: SinkTransactionContext,
  output: ReadonlyMap<string, readonly LogRecord[]>,
  offsets: readonly TopicPartitionOffset[],
  policy: RetryPolicy,
): Promise<void> {
  for (const topic of output.keys()) await withRetry(() => run.ensureTopic(topic), policy)
  await withRetry(async () => {
    const transaction = await run.producer.begin()
    try {
      for (const [topic, records] of output) await transaction.append(topic, records)
      await transaction.commitGroupOffsets(run.groupId, offsets)
    } catch (error) {
      await transaction.abort().catch(() => undefined) // the first error is the one that says what happened
      throw error
    }
    try {
      await transaction.commit()
    } catch (error) {
      // Not retried here: the batch may be committed already, and only the group's offsets, read
      // once a new producer has settled the transaction, say where to go on from.
      throw new TributaryError(
        isTributaryError(error) ? error.code : 'TRB_INTERNAL',
        `the transaction of ${run.producer.transactionalId} failed to commit and its outcome is unknown; the task restarts from the group's committed offsets`,
        { cause: error, retriable: false },
      )
    }
  }, policy)
}
