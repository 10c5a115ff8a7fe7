/**
 * Drives a source task: poll → transforms → converters → append, then, once the log holds the records
 * durably, stores the newest offset of each source partition and calls the task's commit() with
 * exactly those records, batch after batch in poll order. A crash between append and offset write
 * replays a batch (at-least-once); nothing is confirmed upstream before it is durable here. With
 * exactly-once (a transactional producer for the task), batches and their offsets commit in
 * transactions instead, one after another, each holding the batches polled and converted while the
 * one before it committed (source-transaction.ts).
 */
import type { Clock } from '../clock.ts'
import type { Log, LogRecord, TransactionalProducer } from '../log/log.ts'
import type { Logger } from '../logger.ts'
import type { ConnectorSettings } from './connector-settings.ts'
import type { DeadLetterHandler } from './dead-letter.ts'
import type { PauseGate } from './pause-gate.ts'
import type { CommittedRecord, SourceOffset, SourcePartition, SourceRecord, SourceTask } from './plugin.ts'
import { bestEffortBytes, headersToLog, type RecordProcessing } from './record-processing.ts'
import { isRetriable, retryPolicyOf, withRetry } from './retry.ts'
import type { SourceOffsetStore } from './source-offset-store.ts'
import { GatheredTransactions } from './source-transaction.ts'
import type { TaskMetrics } from './task-metrics.ts'

export interface SourceRunContext {
  readonly log: Log
  readonly connector: string
  readonly taskId: number
  readonly settings: ConnectorSettings
  readonly processing: RecordProcessing
  readonly deadLetter: DeadLetterHandler
  readonly offsets: SourceOffsetStore
  readonly ensureTopic: (topic: string) => Promise<void>
  readonly clock: Clock
  readonly logger: Logger
  readonly metrics: TaskMetrics
  /** Exactly-once: the task's transactional producer; each batch and its offsets commit together. */
  readonly producer?: TransactionalProducer
}

/**
 * Batches whose appends may wait for durability at once: the next batch is polled and converted
 * while the log flushes the previous ones, so the fsync wait overlaps work instead of stalling it.
 * A waiting batch holds only its encoded bytes and what commit() needs, so sources can poll small
 * batches (whose records die young in the JS heap) and still fill each group commit.
 */
const MAX_BATCHES_IN_FLIGHT = 8

export async function runSourceTask(task: SourceTask, run: SourceRunContext, signal: AbortSignal, gate: PauseGate): Promise<void> {
  const retryPolicy = retryPolicyOf(run, signal)
  // Each entry settles once its batch is durable, its offsets stored and commit() called, in poll order.
  const inFlight: Array<Promise<void>> = []
  let previous: Promise<void> = Promise.resolve()
  // Settles once every batch appended so far is durable.
  let previousDurable: Promise<unknown> = Promise.resolve()
  // The first batch in flight that failed (its append, offsets or commit()).
  let failure: { error: unknown } | undefined
  // Exactly-once: the polls go into the task's transactions, each gathering those polled while the one before committed.
  const transactions =
    run.producer === undefined
      ? undefined
      : new GatheredTransactions({ ...run, producer: run.producer }, retryPolicy, async (batches) => {
          for (const batch of batches)
            for (const records of batch.byTopic.values()) run.metrics.recordsWritten(records.length, valueBytes(records))
          if (task.commit !== undefined)
            await task.commit(batches.length === 1 ? batches[0]!.committed : batches.flatMap((batch) => batch.committed))
        })
  try {
    while (!signal.aborted) {
      await gate.wait(signal).catch(() => undefined) // rejects only when the task stops, which the loop checks next
      if (signal.aborted) break
      const polled = await withRetry(() => task.poll(signal), retryPolicy).catch((error: unknown) => {
        if (signal.aborted) return []
        throw error
      })
      // A batch in flight (or a transaction) failed: the task fails with it, busy or idle.
      if (failure !== undefined) throw failure.error
      transactions?.throwIfFailed()
      if (polled.length === 0) {
        // Straight back to the source, which waits for changes itself: an empty poll (one that read
        // only part of a transaction, say) once waited here for the oldest batch in flight, and so held
        // the next poll, and the rest of the transaction, through that batch's fsyncs. A turn of the
        // event loop keeps a source that answers at once from starving I/O.
        await new Promise(setImmediate)
        continue
      }
      run.metrics.recordsPolled(polled.length)
      const byTopic = await convertBatch(polled, run)
      if (transactions !== undefined) {
        await transactions.add({
          byTopic,
          offsets: newestOffsets(polled),
          committed: task.commit === undefined ? [] : polled.map(committedPart),
        })
        continue
      }
      const appends: Array<Promise<void>> = []
      // Appends start in poll order, and the log keeps a partition's appends in call order.
      for (const [topic, records] of byTopic) {
        await withRetry(() => run.ensureTopic(topic), retryPolicy)
        const count = records.length
        const bytes = valueBytes(records)
        const append = withRetry(() => run.log.append(topic, records), retryPolicy).then(() => run.metrics.recordsWritten(count, bytes))
        // Awaited with the batch below; should a later topic's ensureTopic throw first, nothing awaits it.
        append.catch(() => undefined)
        appends.push(append)
      }
      byTopic.clear()
      // Only what is needed once the batch is durable is kept while it waits: the records' data is
      // let go, so a batch waiting for the disk does not outlive the young generation.
      const offsets = newestOffsets(polled)
      const committed = task.commit === undefined ? [] : polled.map(committedPart)
      // Offsets are stored once this batch and every earlier one are durable; the offset store joins
      // the writes asked for meanwhile into one. commit() calls still follow one another in order.
      const durable = Promise.all([previousDurable, ...appends])
      previousDurable = durable
      // As in Kafka Connect, offsets the log could not take (its cluster out of reach) do not fail
      // the task, whose restart would replay the batch: the next batch's offsets cover these records.
      // The records are durable all the same, which is what commit() tells the source.
      const stored = durable.then(() =>
        run.offsets.write(run.connector, offsets).catch((error: unknown) => {
          if (!isRetriable(error)) throw error
          run.logger.warn({ err: error }, `storing source offsets failed; the next batch's offsets cover these records: ${error.message}`)
        }),
      )
      const done = Promise.all([previous, stored]).then(async () => {
        await task.commit?.(committed)
      })
      // Awaited below; meanwhile the first failure is kept, so that an idle task fails at its next poll.
      done.catch((error: unknown) => {
        failure ??= { error }
      })
      previous = done
      inFlight.push(done)
      if (inFlight.length >= MAX_BATCHES_IN_FLIGHT) await inFlight.shift()
    }
  } finally {
    // Stopping (or failing): what is durable still gets its offsets stored and committed, and
    // what was polled for a transaction goes into one.
    await Promise.allSettled([...inFlight, transactions?.drain()])
  }
  await Promise.all(inFlight)
  await transactions?.drain()
}

async function convertBatch(polled: readonly SourceRecord[], run: SourceRunContext): Promise<Map<string, LogRecord[]>> {
  const byTopic = new Map<string, LogRecord[]>()
  let lastTopic: string | undefined
  let lastList: LogRecord[] | undefined
  for (const original of polled) {
    let stage: 'TRANSFORMATION' | 'KEY_CONVERTER' | 'VALUE_CONVERTER' = 'TRANSFORMATION'
    try {
      const record = run.processing.transforms.apply(original)
      if (record === null) {
        run.metrics.recordsFiltered(1)
        continue
      }
      stage = 'KEY_CONVERTER'
      let key = run.processing.key.fromData(record.topic, record.key, record.keySchema)
      if (key instanceof Promise) key = await key
      stage = 'VALUE_CONVERTER'
      let value = run.processing.value.fromData(record.topic, record.value, record.valueSchema)
      if (value instanceof Promise) value = await value
      // Assigned, not spread: this runs for every record.
      const logRecord: { -readonly [K in keyof LogRecord]: LogRecord[K] } = { key, value, headers: headersToLog(record.headers) }
      if (record.timestamp !== undefined) logRecord.timestamp = record.timestamp
      if (record.partition !== undefined) logRecord.partition = record.partition
      // Records come in runs of one topic: the run's list is at hand without a lookup.
      if (record.topic !== lastTopic || lastList === undefined) {
        lastTopic = record.topic
        lastList = byTopic.get(lastTopic) ?? []
        byTopic.set(lastTopic, lastList)
      }
      lastList.push(logRecord)
    } catch (error) {
      run.metrics.recordErrors(1)
      await run.deadLetter.handle(
        stage,
        {
          topic: original.topic,
          key: bestEffortBytes(original.key),
          value: bestEffortBytes(original.value),
          headers: headersToLog(original.headers),
        },
        error,
      )
    }
  }
  return byTopic
}

function committedPart(record: SourceRecord): CommittedRecord {
  return { topic: record.topic, sourcePartition: record.sourcePartition, sourceOffset: record.sourceOffset }
}

function valueBytes(records: readonly LogRecord[]): number {
  let bytes = 0
  for (let index = 0; index < records.length; index++) bytes += records[index]?.value?.length ?? 0
  return bytes
}

function newestOffsets(records: readonly SourceRecord[]): Array<{ partition: SourcePartition; offset: SourceOffset }> {
  const newest = new Map<string, { partition: SourcePartition; offset: SourceOffset }>()
  // Sources mostly reuse one partition object: a run of records with it is settled by its last one,
  // without serialising the partition or allocating an entry per record.
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as SourceRecord
    const next = records[index + 1]
    if (next !== undefined && next.sourcePartition === record.sourcePartition) continue
    newest.set(JSON.stringify(record.sourcePartition), { partition: record.sourcePartition, offset: record.sourceOffset })
  }
  return [...newest.values()]
}
