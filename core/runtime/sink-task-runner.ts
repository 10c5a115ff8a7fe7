/**
 * Drives a sink task: one consumer group per sink connector (`tributary-<connector>`, each task a
 * member); poll → converters → transforms → put() → flush(), and only then commit the group's
 * offsets, so the sink's store has everything that is committed. A crash replays at most the batches
 * in hand (at-least-once); upsert sinks make the replay harmless. While a batch flushes, the next one
 * is read and decoded, and put too when the sink allows it (`putsWhileFlushing`), so the sink's work
 * on one batch overlaps its store's on the other; decoding failures reach the dead-letter handler
 * only once their batch is the one in hand, in order. put() is retried on a retriable error; any
 * other error (a RangeError from a record too deep for the sink, say) fails the task at once, as
 * Kafka Connect's WorkerSinkTask does: the batch would come again after a restart and fail again.
 * A sink hands a single bad record to reportBadRecord, which applies the connector's error policy.
 * A sink whose store is the log, on a worker with exactly-once on, has each flush's output and its
 * batch's offsets committed in one transaction instead (sink-transaction.ts), and nothing is read
 * ahead: the next poll, which may hand partitions to another task, waits for the transaction.
 *
 * SinkLoop's states, one batch a turn, each named for the method that is its step; the commits run
 * behind the loop, in order (sink-offset-commits.ts):
 *
 *        subscribed
 *            │
 *   ┌───► passGate ─── a commit failed ───────────────────────────────────► stopped (task fails)
 *   │        │ ─────── connector paused ──► paused: finishFlush, then wait for resume ──┐
 *   │        │ ◄─────────────────────────────────────────────────────────────────────────┘
 *   │        │ ─────── signal aborted ────► stopping: finishFlush, commits settle ──► stopped
 *   │        ▼
 *   │      poll: the batch read ahead, else consumer.poll (which rejoins the group first when it
 *   │        │   rebalances: where partitions come and go), decoded (DecodedBatch)
 *   │        ▼
 *   │      put: decoding failures to the dead-letter handler, then put() retried
 *   │        ▼
 *   │      finishFlush: the batch before is flushed ──► commits.commitFlushed: its offsets (not
 *   │        │                                         with exactly-once: its transaction did
 *   │        │                                         that) and its lag, queued
 *   │        ├── empty batch ──► commits.commitPositions: positions past transaction markers, queued ──┐
 *   │        ▼                                                                                        │
 *   │      flush: flush() retried, exactly-once then its transaction; at-least-once the next batch    │
 *   │        │    is polled ahead, and the sink that puts while flushing is not waited for here       │
 *   │        │    (finishFlush comes in the next turn)                                                │
 *   └────────┴────────────────────────────────────────────────────────────────────────────────────────┘
 *
 * Every stop, on the signal or an error of any step, closes the consumer, so the group moves the
 * task's partitions at once. A commit the group refuses because of a rebalance is no error: the
 * partitions' new owner reads their batches again.
 */
import type { Clock } from '../clock.ts'
import { isTributaryError } from '../errors.ts'
import type { GroupConsumer, Log, StoredRecord, TransactionalProducer } from '../log/log.ts'
import type { Logger } from '../logger.ts'
import type { ConnectorSettings } from './connector-settings.ts'
import type { DeadLetterHandler } from './dead-letter.ts'
import { DecodedBatch } from './decoded-batch.ts'
import type { PauseGate } from './pause-gate.ts'
import type { RecordsInHand } from './records-in-hand.ts'
import type { SinkTask } from './plugin.ts'
import { nextOffsets, SinkOffsetCommits } from './sink-offset-commits.ts'
import { commitFlushInTransaction, type HeldOutput } from './sink-transaction.ts'
import type { RecordProcessing } from './record-processing.ts'
import { isRetriable, retryPolicyOf, withRetry, type RetryPolicy } from './retry.ts'
import { unrecoverable } from './task-supervisor.ts'
import type { TaskMetrics } from './task-metrics.ts'

export interface SinkRunContext {
  readonly log: Log
  readonly connector: string
  readonly taskId: number
  readonly topics: readonly string[]
  readonly settings: ConnectorSettings
  readonly processing: RecordProcessing
  readonly deadLetter: DeadLetterHandler
  readonly clock: Clock
  readonly logger: Logger
  readonly metrics: TaskMetrics
  /**
   * Exactly-once output to the log: the task's transactional producer, where the task's produce()
   * holds what a flush writes, and how a topic is made before the transaction appends to it.
   */
  readonly exactlyOnce?: {
    readonly producer: TransactionalProducer
    readonly output: HeldOutput
    readonly ensureTopic: (topic: string) => Promise<void>
  }
}

export function sinkGroupId(connector: string): string {
  return `tributary-${connector}`
}

export async function runSinkTask(
  task: SinkTask,
  run: SinkRunContext,
  signal: AbortSignal,
  gate: PauseGate,
  inHand: RecordsInHand,
): Promise<void> {
  const consumer = await run.log.subscribe({
    groupId: sinkGroupId(run.connector),
    topics: run.topics,
    autoOffsetReset: run.settings['consumer.auto.offset.reset'],
    clientId: `${run.connector}-${run.taskId}`,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1000,
    // An aborted transaction's records (an exactly-once source's batch that went again) never reach a sink.
    isolation: 'read_committed',
  })
  await new SinkLoop(task, run, consumer, { signal, gate, inHand }).run()
}

/** A batch put: its stored records (the decoded ones are let go) and how many records put() took. */
interface PutBatch {
  readonly stored: readonly StoredRecord[]
  readonly count: number
}

/** A batch whose flush has been started: its records are committed once the flush has succeeded. */
interface Flushing extends PutBatch {
  readonly done: Promise<void>
}

class SinkLoop {
  private readonly task: SinkTask
  private readonly context: SinkRunContext
  private readonly consumer: GroupConsumer
  private readonly signal: AbortSignal
  private readonly gate: PauseGate
  private readonly inHand: RecordsInHand
  private readonly retryPolicy: RetryPolicy
  private readonly exactlyOnce: SinkRunContext['exactlyOnce']
  private readonly commits: SinkOffsetCommits
  /**
   * Sinks that allow it are put batch N+1 while batch N is flushed; N+1's flush starts only once
   * N's has succeeded, so flushes never overlap.
   */
  private flushing: Flushing | undefined
  /** The batch polled while the one before it flushes (at-least-once only). */
  private readAhead: Promise<DecodedBatch> | undefined

  constructor(
    task: SinkTask,
    context: SinkRunContext,
    consumer: GroupConsumer,
    loop: { signal: AbortSignal; gate: PauseGate; inHand: RecordsInHand },
  ) {
    this.task = task
    this.context = context
    this.consumer = consumer
    this.signal = loop.signal
    this.gate = loop.gate
    this.inHand = loop.inHand
    this.retryPolicy = retryPolicyOf(context, loop.signal)
    this.exactlyOnce = context.exactlyOnce
    this.commits = new SinkOffsetCommits(consumer, context, loop.inHand, context.exactlyOnce !== undefined)
  }

  async run(): Promise<void> {
    try {
      while (!this.signal.aborted) {
        await this.passGate()
        if (this.signal.aborted) break
        const put = await this.put(this.poll())
        await this.finishFlush()
        // Nothing new: the batch just flushed is committed now, not when records come; and a position
        // past what was committed (a transaction's commit marker read) is committed too.
        if (put.stored.length === 0) this.commits.commitPositions()
        else await this.flush(put)
      }
      await this.finishFlush()
      await this.commits.settled()
    } finally {
      // Stopping: each of these failures was met, or is moot, where it happened; here the loop only
      // waits for them to end so nothing runs after the consumer closes.
      await this.flushing?.done.catch(() => undefined)
      await this.commits.settled().catch(() => undefined)
      await this.readAhead?.catch(() => undefined)
      await this.consumer.close().catch((error: unknown) => this.context.logger.warn({ err: error }, 'leaving the consumer group failed'))
    }
  }

  /** A queued commit's failure fails the task here; a paused connector's loop waits here, its flush in hand finished. */
  private async passGate(): Promise<void> {
    this.commits.throwIfFailed()
    if (this.gate.isPaused) await this.finishFlush()
    await this.gate.wait(this.signal).catch(() => undefined) // rejects only on the stop signal, which the loop checks next
  }

  /** The batch read ahead, else the next one from the log. */
  private poll(): Promise<DecodedBatch> {
    const readAhead = this.readAhead
    this.readAhead = undefined
    return readAhead ?? this.pollLog()
  }

  private async pollLog(): Promise<DecodedBatch> {
    const stored = await this.consumer
      .poll({ maxWaitMs: 500, maxRecords: this.context.settings['poll.max.records'], signal: this.signal })
      .catch((error: unknown) => {
        if (this.signal.aborted) return []
        throw error
      })
    return DecodedBatch.decode(stored, this.context.processing)
  }

  /**
   * Hands a batch to put() and keeps only its stored records: the decoded ones (whole change events,
   * say) are let go here, not held while the flush before this batch's finishes.
   */
  private async put(pending: Promise<DecodedBatch>): Promise<PutBatch> {
    const batch = await pending
    const stored = batch.stored
    if (stored.length === 0) return { stored, count: 0 }
    this.inHand.add(stored)
    const records = await batch.records(this.context.deadLetter, this.context.metrics)
    await withRetry(() => this.task.put(records), this.retryPolicy).catch((error: unknown) => {
      if (this.signal.aborted || isRetriable(error) || isTributaryError(error, 'TRB_TASK_FAILED')) throw error
      const first = stored[0] as StoredRecord
      throw unrecoverable(
        `put() of ${records.length} records from ${first.topic}-${first.partition} at offset ${first.offset} failed with an error a restart would meet again; the task stops until it is restarted`,
        error,
      )
    })
    return { stored, count: records.length }
  }

  /**
   * Starts the batch's flush and, at-least-once, polls the next batch meanwhile; waits for the flush
   * unless the sink may be put the next batch while it runs.
   */
  private async flush(put: PutBatch): Promise<void> {
    this.flushing = { ...put, done: this.flushAndCommit(put.stored) }
    // Its error, if any, is met where it is awaited; this only keeps it from counting as unhandled.
    this.flushing.done.catch(() => undefined)
    // Exactly-once reads no batch ahead: a poll may rejoin the group, and a partition handed to
    // another task then must have its offsets settled (this batch's transaction committed), or the
    // new owner would read them from before it and write the batch again.
    if (this.exactlyOnce === undefined) {
      this.readAhead = this.pollLog()
      this.readAhead.catch(() => undefined) // its error is met where the next poll awaits it
    }
    // Exactly-once: a retried flush would produce the batch put meanwhile too, ahead of its offsets.
    if (this.task.putsWhileFlushing !== true || this.exactlyOnce !== undefined) await this.finishFlush()
  }

  /**
   * flush(), retried as any flush is (a retry stores everything put so far). Exactly-once: the
   * flush's output and the batch's offsets then commit in one transaction, before the next flush
   * starts (its producer runs one transaction at a time).
   */
  private flushAndCommit(stored: readonly StoredRecord[]): Promise<void> {
    let first: Promise<void> | undefined = this.flushAttempt()
    const flushed = withRetry(() => {
      const attempt = first ?? this.flushAttempt()
      first = undefined
      return attempt
    }, this.retryPolicy)
    const exactlyOnce = this.exactlyOnce
    if (exactlyOnce === undefined) return flushed
    const offsets = nextOffsets(stored)
    return flushed.then(async () => {
      await commitFlushInTransaction(
        { producer: exactlyOnce.producer, groupId: this.consumer.groupId, ensureTopic: exactlyOnce.ensureTopic },
        exactlyOnce.output.take(),
        offsets,
        this.retryPolicy,
      )
      this.commits.noteCommitted(offsets)
    })
  }

  /** Each attempt produces the whole buffer again: what a failed one produced is not kept. */
  private flushAttempt(): Promise<void> {
    this.exactlyOnce?.output.restart()
    return this.task.flush()
  }

  /** Waits for the flush in hand, if any, and queues its commit. */
  private async finishFlush(): Promise<void> {
    const pending = this.flushing
    this.flushing = undefined
    if (pending === undefined) return
    await pending.done
    this.commits.commitFlushed(pending.stored, pending.count)
  }
}
