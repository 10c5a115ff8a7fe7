/**
 * Exactly-once delivery of a source task's batches (Kafka Connect's KIP-618, with its default
 * transaction.boundary=poll): each polled batch's records and its source offsets are appended in one
 * transaction of the task's own transactional producer, so after a crash either both are in the log
 * or neither is, and the restarted task resumes exactly after what the log holds. A retriable failure
 * aborts the transaction and the whole batch goes again; a newer instance of the task (on another
 * worker after a rebalance, or after a restart) fences this one, whose next call then fails with
 * TRB_PRODUCER_FENCED and fails the task rather than write twice.
 *
 * A batch's appends (each topic's records and the offsets) go into the transaction side by side, not
 * one after another: on the embedded log they join it in one state write and are flushed together, so
 * a transaction waits for fewer durable writes in a row. It is aborted only once every append has
 * settled, so no batch of it can queue after its abort markers.
 */
import type { LogRecord, TransactionalProducer } from '../log/log.ts'
import type { SourceOffset, SourcePartition } from './plugin.ts'
import { withRetry, type RetryPolicy } from './retry.ts'
import type { SourceOffsetStore } from './source-offset-store.ts'

export interface SourceTransactionContext {
  readonly connector: string
  readonly producer: TransactionalProducer
  readonly offsets: SourceOffsetStore
  readonly ensureTopic: (topic: string) => Promise<void>
}

/** The transactional id of a source task: unique per worker group (its storage prefix), connector and task. */
export function sourceTransactionalId(storagePrefix: string, connector: string, taskId: number): string {
  return `${storagePrefix}source-${connector}-${taskId}`
}

/** Appends the batch and stores its offsets in one transaction, retried whole while failures are retriable. */
export async function appendBatchInTransaction(
  run: SourceTransactionContext,
  byTopic: ReadonlyMap<string, readonly LogRecord[]>,
  offsets: ReadonlyArray<{ partition: SourcePartition; offset: SourceOffset }>,
  policy: RetryPolicy,
): Promise<void> {
  for (const topic of byTopic.keys()) await withRetry(() => run.ensureTopic(topic), policy)
  await withRetry(async () => {
    const transaction = await run.producer.begin()
    try {
      const appends: Array<Promise<unknown>> = [...byTopic].map(([topic, records]) => transaction.append(topic, records))
      const storing = run.offsets.writeIn(transaction, run.connector, offsets)
      const settled = await Promise.allSettled([...appends, storing])
      const failed = settled.find((result) => result.status === 'rejected')
      if (failed) throw failed.reason
      const stored = await storing
      await transaction.commit()
      stored.apply()
    } catch (error) {
      // The commit's own failure leaves nothing to abort; any other leaves an open transaction.
      await transaction.abort().catch(() => undefined) // the first error is the one that says what happened
      throw error
    }
  }, policy)
}
