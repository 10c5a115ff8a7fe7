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
 */
import { setImmediate } from 'node:timers/promises'
import type { Clock } from '../clock.ts'
import { isTributaryError } from '../errors.ts'
import type { GroupConsumer, Log, StoredRecord, TopicPartitionOffset, TransactionalProducer } from '../log/log.ts'
import type { Logger } from '../logger.ts'
import type { ConnectorSettings } from './connector-settings.ts'
import type { DeadLetterHandler, FailedRecord } from './dead-letter.ts'
import type { PauseGate } from './pause-gate.ts'
import type { RecordsInHand } from './records-in-hand.ts'
import type { SinkRecord, SinkTask } from './plugin.ts'
import { commitFlushInTransaction, type HeldOutput } from './sink-transaction.ts'
import { headersFromLog, type ConnectData, type RecordProcessing } from './record-processing.ts'
import { isRetriable, retryPolicyOf, withRetry } from './retry.ts'
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
  readonly exactlyOnce?: { readonly producer: TransactionalProducer; readonly output: HeldOutput; readonly ensureTopic: (topic: string) => Promise<void> }
}

const DECODE_SLICE_RECORDS = 200

export function sinkGroupId(connector: string): string {
  return `tributary-${connector}`
}

export async function runSinkTask(task: SinkTask, run: SinkRunContext, signal: AbortSignal, gate: PauseGate, inHand: RecordsInHand): Promise<void> {
  const retryPolicy = retryPolicyOf(run, signal)
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
  const fetchBatch = async (): Promise<DecodedBatch> => {
    const stored = await consumer.poll({ maxWaitMs: 500, maxRecords: run.settings['poll.max.records'], signal }).catch((error: unknown) => {
      if (signal.aborted) return []
      throw error
    })
    const decoded: Decoded[] = []
    for (let i = 0; i < stored.length; i++) {
      // Yield now and then so the flush under way gets its replies and sends its next statement
      // instead of waiting for the whole batch to be decoded.
      if (i > 0 && i % DECODE_SLICE_RECORDS === 0) await setImmediate()
      const result = decode(stored[i] as StoredRecord, run)
      decoded.push(result instanceof Promise ? await result : result)
    }
    return { stored, decoded }
  }
  // Hands a batch to put() and keeps only its stored records: the decoded ones (whole change events,
  // say) are let go here, not held while the flush before this batch's finishes.
  const putBatch = async (batch: Promise<DecodedBatch>): Promise<{ stored: readonly StoredRecord[]; count: number }> => {
    const { stored, decoded } = await batch
    if (stored.length === 0) return { stored, count: 0 }
    inHand.add(stored)
    const records = await settleDecoded(stored, decoded, run)
    await withRetry(() => task.put(records), retryPolicy).catch((error: unknown) => {
      if (signal.aborted || isRetriable(error) || isTributaryError(error, 'TRB_TASK_FAILED')) throw error
      const first = stored[0] as StoredRecord
      throw unrecoverable(`put() of ${records.length} records from ${first.topic}-${first.partition} at offset ${first.offset} failed with an error a restart would meet again; the task stops until it is restarted`, error)
    })
    return { stored, count: records.length }
  }
  const exactlyOnce = run.exactlyOnce
  // Each attempt produces the whole buffer again: what a failed one produced is not kept.
  const flushOnce = (): Promise<void> => {
    exactlyOnce?.output.restart()
    return task.flush()
  }
  // A flush retried as any flush is; a retry stores everything put so far.
  const retried = (first: Promise<void>): Promise<void> => {
    let started: Promise<void> | undefined = first
    return withRetry(() => {
      const attempt = started ?? flushOnce()
      started = undefined
      return attempt
    }, retryPolicy)
  }
  // What this task last committed of each partition (topic NUL partition → offset).
  const committed = new Map<string, number>()
  // Exactly-once: the flush's output and the batch's offsets commit in one transaction, before the
  // next flush starts (its producer runs one transaction at a time).
  const flushBatch = (stored: readonly StoredRecord[]): Promise<void> => {
    const flushed = retried(flushOnce())
    if (exactlyOnce === undefined) return flushed
    const offsets = nextOffsets(stored)
    return flushed.then(async () => {
      await commitFlushInTransaction({ producer: exactlyOnce.producer, groupId: consumer.groupId, ensureTopic: exactlyOnce.ensureTopic },
        exactlyOnce.output.take(), offsets, retryPolicy)
      for (const { topic, partition, offset } of offsets) committed.set(`${topic}\0${partition}`, offset)
    })
  }
  // Flushed batches' offsets are committed one after another, in order, while the next batch is
  // flushed: the store's round trips need not wait for the log's.
  let commits: Promise<void> = Promise.resolve()
  let commitFailure: { error: unknown } | undefined
  const commitLater = ({ stored, count }: Flushing): void => {
    commits = commits.then(async () => {
      run.metrics.recordsPut(count)
      // Exactly-once: the offsets were committed with the output.
      if (exactlyOnce === undefined) await commitBatch(consumer, stored, run.logger, committed)
      await reportLag(stored, run)
      inHand.remove(stored)
    })
    commits.catch((error: unknown) => (commitFailure ??= { error }))
  }
  // Called when a poll came back empty and every batch before it is flushed: a read_committed
  // consumer's position may then stand past the last record delivered, after a commit or abort
  // marker. Committing it, as a Java consumer commits its position, leaves the group no lag of one
  // behind each transaction. Only partitions this task has committed before are moved.
  const commitPositions = (): void => {
    const moved: TopicPartitionOffset[] = []
    for (const { topic, partition } of consumer.assignment()) {
      const position = consumer.position(topic, partition)
      const last = committed.get(`${topic}\0${partition}`)
      if (position !== undefined && last !== undefined && position > last) moved.push({ topic, partition, offset: position })
    }
    if (moved.length === 0) return
    commits = commits.then(async () => {
      await commitOffsets(consumer, moved, run.logger, committed)
      for (const { topic, partition, offset } of moved) await reportLagFrom(run, topic, partition, offset)
    })
    commits.catch((error: unknown) => (commitFailure ??= { error }))
  }
  // Sinks that allow it are put batch N+1 while batch N is flushed; N+1's flush starts only once
  // N's has succeeded, so flushes never overlap.
  let flushing: Flushing | undefined
  const flushed = async (): Promise<void> => {
    const pending = flushing
    flushing = undefined
    if (pending === undefined) return
    await pending.done
    commitLater(pending)
  }
  let next: Promise<DecodedBatch> | undefined
  try {
    while (!signal.aborted) {
      if (commitFailure !== undefined) throw commitFailure.error
      if (gate.isPaused) await flushed()
      await gate.wait(signal).catch(() => undefined)
      if (signal.aborted) break
      const batch = next ?? fetchBatch()
      next = undefined
      const { stored, count } = await putBatch(batch)
      await flushed()
      // Nothing new: the batch just flushed is committed now, not when records come; and a position
      // past what was committed (a transaction's commit marker read) is committed too.
      if (stored.length === 0) {
        commitPositions()
        continue
      }
      flushing = { done: flushBatch(stored), stored, count }
      // Its error, if any, is met where it is awaited; this only keeps it from counting as unhandled.
      flushing.done.catch(() => undefined)
      // Exactly-once reads no batch ahead: a poll may rejoin the group, and a partition handed to
      // another task then must have its offsets settled (this batch's transaction committed), or the
      // new owner would read them from before it and write the batch again.
      if (exactlyOnce === undefined) {
        next = fetchBatch()
        next.catch(() => undefined)
      }
      // Exactly-once: a retried flush would produce the batch put meanwhile too, ahead of its offsets.
      if (task.putsWhileFlushing !== true || exactlyOnce !== undefined) await flushed()
    }
    await flushed()
    await commits
  } finally {
    await flushing?.done.catch(() => undefined)
    await commits.catch(() => undefined)
    await next?.catch(() => undefined)
    await consumer.close().catch((error: unknown) => run.logger.warn({ err: error }, 'leaving the consumer group failed'))
  }
}

/** A batch whose flush has been started: its records are committed once the flush has succeeded. */
interface Flushing {
  readonly done: Promise<void>
  readonly stored: readonly StoredRecord[]
  readonly count: number
}

export function failedFromStored(record: StoredRecord): FailedRecord {
  return { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key, value: record.value, headers: record.headers }
}

type Stage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'TRANSFORMATION'

class DecodeFailure {
  readonly stage: Stage
  readonly error: unknown
  constructor(stage: Stage, error: unknown) {
    this.stage = stage
    this.error = error
  }
}

/** A stored record through converters and transforms: a record, null (filtered out), or the failure. */
type Decoded = SinkRecord | null | DecodeFailure
interface DecodedBatch {
  readonly stored: readonly StoredRecord[]
  readonly decoded: readonly Decoded[]
}

/**
 * Converters and transforms only: no side effects, so a batch can be decoded ahead of its turn. A
 * promise only when a converter had to wait (for a schema registry).
 */
function decode(raw: StoredRecord, run: SinkRunContext): Decoded | Promise<Decoded> {
  let stage: Stage = 'KEY_CONVERTER'
  try {
    const key = run.processing.key.toData(raw.topic, raw.key)
    if (key instanceof Promise) return decodeAfter(raw, run, key)
    stage = 'VALUE_CONVERTER'
    const value = run.processing.value.toData(raw.topic, raw.value)
    if (value instanceof Promise) return decodeAfter(raw, run, key, value)
    stage = 'TRANSFORMATION'
    return transform(raw, run, key, value)
  } catch (error) {
    return new DecodeFailure(stage, error)
  }
}

async function decodeAfter(raw: StoredRecord, run: SinkRunContext, pendingKey: Promise<ConnectData> | ConnectData, pendingValue?: Promise<ConnectData>): Promise<Decoded> {
  let stage: Stage = 'KEY_CONVERTER'
  try {
    const key = await pendingKey
    stage = 'VALUE_CONVERTER'
    const value = await (pendingValue ?? run.processing.value.toData(raw.topic, raw.value))
    stage = 'TRANSFORMATION'
    return transform(raw, run, key, value)
  } catch (error) {
    return new DecodeFailure(stage, error)
  }
}

function transform(raw: StoredRecord, run: SinkRunContext, key: ConnectData, value: ConnectData): Decoded {
  return run.processing.transforms.apply<SinkRecord>({
    topic: raw.topic, partition: raw.partition, offset: raw.offset, key: key.value, keySchema: key.schema, value: value.value, valueSchema: value.schema,
    headers: headersFromLog(raw.headers), timestamp: raw.timestamp,
  })
}

/** The batch's records for put(); the failures go to the dead-letter handler, in order. */
async function settleDecoded(stored: readonly StoredRecord[], decoded: readonly Decoded[], run: SinkRunContext): Promise<SinkRecord[]> {
  const records: SinkRecord[] = []
  for (let i = 0; i < decoded.length; i++) {
    const result = decoded[i] as Decoded
    if (result === null) run.metrics.recordsFiltered(1)
    else if (result instanceof DecodeFailure) {
      run.metrics.recordErrors(1)
      await run.deadLetter.handle(result.stage, failedFromStored(stored[i] as StoredRecord), result.error)
    } else records.push(result)
  }
  return records
}

/** Commits the offset after the last record of each partition in the batch. */
function commitBatch(consumer: GroupConsumer, stored: readonly StoredRecord[], logger: Logger, committed: Map<string, number>): Promise<void> {
  return commitOffsets(consumer, nextOffsets(stored), logger, committed)
}

/** Commits offsets and notes them in `committed` (topic NUL partition → offset) once the group has them. */
async function commitOffsets(consumer: GroupConsumer, next: readonly TopicPartitionOffset[], logger: Logger, committed: Map<string, number>): Promise<void> {
  try {
    await consumer.commit(next)
    for (const { topic, partition, offset } of next) committed.set(`${topic}\0${partition}`, offset)
  } catch (error) {
    // A rebalance took the partitions away: their new owner starts from the last commit (redelivery).
    if (isTributaryError(error) && error.code.startsWith('TRB_GROUP_')) {
      logger.info({ code: error.code }, 'offset commit refused by a rebalance; records will be redelivered')
      return
    }
    // The coordinator moving or out of reach, as Kafka Connect treats it: the records are written and
    // the next commit covers them; only a restart before it would deliver them again.
    if (!isRetriable(error)) throw error
    logger.warn({ code: error.code, err: error }, 'offset commit failed; the next commit covers these records')
  }
}

/** The offsets to commit after a batch: one past the last record of each partition in it. */
function nextOffsets(stored: readonly StoredRecord[]): TopicPartitionOffset[] {
  return lastOfEachPartition(stored).map((record) => ({ topic: record.topic, partition: record.partition, offset: record.offset + 1 }))
}

/** Lag behind what was just flushed (the consumer's position is already past the batch read ahead). */
async function reportLag(stored: readonly StoredRecord[], run: SinkRunContext): Promise<void> {
  for (const { topic, partition, offset } of lastOfEachPartition(stored)) await reportLagFrom(run, topic, partition, offset + 1)
}

/** The lag gauge of a partition read up to `position`; when its leader is out of reach it keeps its last value. */
async function reportLagFrom(run: SinkRunContext, topic: string, partition: number, position: number): Promise<void> {
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
    if (following === undefined || following.partition !== record.partition || following.topic !== record.topic) last.set(`${record.topic}\0${record.partition}`, record)
  }
  return [...last.values()]
}
