/**
 * Exactly-once delivery of a source task's batches (Kafka Connect's KIP-618, transaction.boundary=poll):
 * polled batches' records and their source offsets are appended in one transaction of the task's own
 * transactional producer, so after a crash either both are in the log or neither is, and the restarted
 * task resumes exactly after what the log holds. A retriable failure aborts the transaction and it goes
 * again whole; a newer instance of the task (on another worker after a rebalance, or after a restart)
 * fences this one, whose next call then fails with TRB_PRODUCER_FENCED and fails the task rather than
 * write twice.
 *
 * Transactions follow one another, and a poll never waits for one: the polls that come while a
 * transaction commits are gathered (up to MAX_GATHERED_POLLS) and committed together as the next one,
 * so a task that polls faster than a transaction commits fills larger transactions instead of
 * queueing behind each one's durable writes, and one alone commits at once. Each poll stays an append
 * of its own (a request no larger than the poll, on a Kafka cluster); the offsets stored are each
 * source partition's newest among the gathered polls. The task's commit() is called with a
 * transaction's records once it has committed, before the next one begins.
 *
 * A transaction's appends (each poll's records per topic, and the offsets) go in side by side, not one
 * after another: on the embedded log they join it in one state write and are flushed together, so a
 * transaction waits for fewer durable writes in a row. It is aborted only once every append has
 * settled, so no batch of it can queue after its abort markers.
 */
import type { LogRecord, TransactionalProducer } from '../log/log.ts'
import type { CommittedRecord, SourceOffset, SourcePartition } from './plugin.ts'
import { withRetry, type RetryPolicy } from './retry.ts'
import type { SourceOffsetStore } from './source-offset-store.ts'

/** Most polls one transaction gathers: the runtime's bound on polls held while the log works (as at least once). */
export const MAX_GATHERED_POLLS = 8

export interface SourceTransactionContext {
  readonly connector: string
  readonly producer: TransactionalProducer
  readonly offsets: SourceOffsetStore
  readonly ensureTopic: (topic: string) => Promise<void>
}

/** One converted poll: its records by topic, its newest offset per source partition, and what commit() is told of it. */
export interface PolledBatch {
  readonly byTopic: ReadonlyMap<string, readonly LogRecord[]>
  readonly offsets: ReadonlyArray<{ partition: SourcePartition; offset: SourceOffset }>
  readonly committed: readonly CommittedRecord[]
}

/** The transactional id of a source task: unique per worker group (its storage prefix), connector and task. */
export function sourceTransactionalId(storagePrefix: string, connector: string, taskId: number): string {
  return `${storagePrefix}source-${connector}-${taskId}`
}

/**
 * The task's transactions, one after another, each holding the polls gathered while the one before
 * it committed. `committed` runs after each transaction commits, before the next begins.
 */
export class GatheredTransactions {
  private readonly run: SourceTransactionContext
  private readonly policy: RetryPolicy
  private readonly committed: (batches: readonly PolledBatch[]) => Promise<void>
  private gathered: PolledBatch[] = []
  /** Settles (never rejects) once the transaction in hand and every one chained after it are done, or one failed. */
  private committing: Promise<void> | undefined
  /** The transaction in hand, once its commit() call is done too. */
  private current: Promise<void> = Promise.resolve()
  private failure: { error: unknown } | undefined

  constructor(run: SourceTransactionContext, policy: RetryPolicy, committed: (batches: readonly PolledBatch[]) => Promise<void>) {
    this.run = run
    this.policy = policy
    this.committed = committed
  }

  /**
   * Takes a converted poll: it commits at once when no transaction is in hand, else with the next one.
   * Resolves once the task may poll again, which waits only while MAX_GATHERED_POLLS polls are gathered.
   * Throws the failure of an earlier transaction.
   */
  async add(batch: PolledBatch): Promise<void> {
    this.throwIfFailed()
    this.gathered.push(batch)
    if (this.committing === undefined) this.committing = this.commitGathered()
    // Once the transaction in hand is done, the next takes what is gathered.
    while (this.gathered.length >= MAX_GATHERED_POLLS && this.committing !== undefined) await this.current.catch(() => undefined)
    this.throwIfFailed()
  }

  /** Throws the first transaction's failure, once one has failed: the task fails with it. */
  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error
  }

  /** Waits until every poll taken has committed, or one transaction failed (then throws its failure). */
  async drain(): Promise<void> {
    while (this.committing !== undefined) await this.committing
    this.throwIfFailed()
  }

  /** Commits what is gathered, then what was gathered meanwhile, until nothing is; stops at the first failure. */
  private async commitGathered(): Promise<void> {
    try {
      while (this.gathered.length > 0) {
        const batches = this.gathered
        this.gathered = []
        this.current = appendInTransaction(this.run, batches, this.policy).then(() => this.committed(batches))
        await this.current
      }
    } catch (error) {
      this.failure ??= { error }
    } finally {
      this.committing = undefined
    }
  }
}

/** Appends the batches and stores their offsets in one transaction, retried whole while failures are retriable. */
async function appendInTransaction(run: SourceTransactionContext, batches: readonly PolledBatch[], policy: RetryPolicy): Promise<void> {
  const topics = new Set(batches.flatMap((batch) => [...batch.byTopic.keys()]))
  for (const topic of topics) await withRetry(() => run.ensureTopic(topic), policy)
  const offsets = newestOfEach(batches)
  await withRetry(async () => {
    const transaction = await run.producer.begin()
    try {
      const appends: Array<Promise<unknown>> = batches.flatMap((batch) =>
        [...batch.byTopic].map(([topic, records]) => transaction.append(topic, records)),
      )
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

/** Each source partition's offset from the newest batch that names it. */
function newestOfEach(batches: readonly PolledBatch[]): Array<{ partition: SourcePartition; offset: SourceOffset }> {
  if (batches.length === 1) return [...(batches[0]?.offsets ?? [])]
  const newest = new Map<string, { partition: SourcePartition; offset: SourceOffset }>()
  for (const batch of batches) for (const entry of batch.offsets) newest.set(JSON.stringify(entry.partition), entry)
  return [...newest.values()]
}
