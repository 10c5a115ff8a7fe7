/**
 * Drives a sink task: one consumer group per sink connector (`tributary-<connector>`, each task a
 * member); poll → converters → transforms → put() → flush(), and only then commit the group's
 * offsets, so the sink's store has everything that is committed. A crash replays at most the batch in
 * hand (at-least-once); upsert sinks make the replay harmless.
 */
import type { Clock } from '../clock.ts'
import { isTributaryError } from '../errors.ts'
import type { GroupConsumer, Log, StoredRecord, TopicPartitionOffset } from '../log/log.ts'
import type { Logger } from '../logger.ts'
import type { ConnectorSettings } from './connector-settings.ts'
import type { DeadLetterHandler, FailedRecord } from './dead-letter.ts'
import type { PauseGate } from './pause-gate.ts'
import type { SinkRecord, SinkTask } from './plugin.ts'
import { headersFromLog, type RecordProcessing } from './record-processing.ts'
import { withRetry } from './retry.ts'
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
}

export function sinkGroupId(connector: string): string {
  return `tributary-${connector}`
}

export async function runSinkTask(task: SinkTask, run: SinkRunContext, signal: AbortSignal, gate: PauseGate, batch: Map<string, StoredRecord>): Promise<void> {
  const retryPolicy = { timeoutMs: run.settings['errors.retry.timeout'], maxDelayMs: run.settings['errors.retry.delay.max.ms'], clock: run.clock, signal }
  const consumer = await run.log.subscribe({
    groupId: sinkGroupId(run.connector),
    topics: run.topics,
    autoOffsetReset: run.settings['consumer.auto.offset.reset'],
    clientId: `${run.connector}-${run.taskId}`,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1000,
  })
  try {
    while (!signal.aborted) {
      await gate.wait(signal).catch(() => undefined)
      if (signal.aborted) break
      const stored = await consumer.poll({ maxWaitMs: 500, signal }).catch((error: unknown) => {
        if (signal.aborted) return []
        throw error
      })
      if (stored.length === 0) continue
      batch.clear()
      for (const record of stored) batch.set(rawKey(record.topic, record.partition, record.offset), record)
      const records = await convertBatch(stored, run)
      await withRetry(() => task.put(records), retryPolicy)
      await withRetry(() => task.flush(), retryPolicy)
      run.metrics.recordsPut(records.length)
      await commitBatch(consumer, stored, run.logger)
      await reportLag(consumer, stored, run)
    }
  } finally {
    await consumer.close().catch((error: unknown) => run.logger.warn({ err: error }, 'leaving the consumer group failed'))
  }
}

export function rawKey(topic: string, partition: number, offset: number): string {
  return `${topic}\0${partition}\0${offset}`
}

export function failedFromStored(record: StoredRecord): FailedRecord {
  return { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key, value: record.value, headers: record.headers }
}

async function convertBatch(stored: readonly StoredRecord[], run: SinkRunContext): Promise<SinkRecord[]> {
  const records: SinkRecord[] = []
  for (const raw of stored) {
    let stage: 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'TRANSFORMATION' = 'KEY_CONVERTER'
    try {
      const key = run.processing.key.toData(raw.topic, raw.key)
      stage = 'VALUE_CONVERTER'
      const value = run.processing.value.toData(raw.topic, raw.value)
      stage = 'TRANSFORMATION'
      const record = run.processing.transforms.apply<SinkRecord>({
        topic: raw.topic, partition: raw.partition, offset: raw.offset, key, value, headers: headersFromLog(raw.headers), timestamp: raw.timestamp,
      })
      if (record === null) run.metrics.recordsFiltered(1)
      else records.push(record)
    } catch (error) {
      run.metrics.recordErrors(1)
      await run.deadLetter.handle(stage, failedFromStored(raw), error)
    }
  }
  return records
}

/** Commits the offset after the last record of each partition in the batch. */
async function commitBatch(consumer: GroupConsumer, stored: readonly StoredRecord[], logger: Logger): Promise<void> {
  const next = new Map<string, TopicPartitionOffset>()
  for (const record of stored) next.set(`${record.topic}\0${record.partition}`, { topic: record.topic, partition: record.partition, offset: record.offset + 1 })
  try {
    await consumer.commit([...next.values()])
  } catch (error) {
    // A rebalance took the partitions away: their new owner starts from the last commit (redelivery).
    if (!isTributaryError(error) || !error.code.startsWith('TRB_GROUP_')) throw error
    logger.info({ code: error.code }, 'offset commit refused by a rebalance; records will be redelivered')
  }
}

async function reportLag(consumer: GroupConsumer, stored: readonly StoredRecord[], run: SinkRunContext): Promise<void> {
  const seen = new Set<string>()
  for (const { topic, partition } of stored) {
    const slot = `${topic}\0${partition}`
    if (seen.has(slot)) continue
    seen.add(slot)
    const position = consumer.position(topic, partition)
    if (position === undefined) continue
    const end = await run.log.listOffset(topic, partition, 'latest')
    run.metrics.lag(topic, partition, Math.max(0, end - position))
  }
}
