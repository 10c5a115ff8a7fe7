/**
 * What happens to a record that a transform, a converter or a sink rejects: with
 * `errors.tolerance: none` the task fails at once, without automatic restarts (the same record would
 * fail it again; Kafka Connect's "tolerance exceeded"), the error as the cause; with `all` the record goes to the
 * dead-letter topic with Kafka Connect's `__connect.errors.*` context headers, or, without a topic,
 * is logged and skipped. Sources have the same path, which Kafka Connect lacks.
 */
import type { Logger } from '../logger.ts'
import type { Log, LogRecord, RecordHeader, StoredRecord } from '../log/log.ts'
import { isTributaryError } from '../errors.ts'
import type { ConnectorSettings } from './connector-settings.ts'
import { maskText } from '../secrets.ts'
import { unrecoverable } from './task-supervisor.ts'

export type ErrorStage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'TRANSFORMATION' | 'TASK_PUT' | 'TASK_POLL'

/** The record as it was when it failed: raw bytes for sinks, best-effort bytes for sources. */
export interface FailedRecord {
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly RecordHeader[]
  readonly topic: string
  readonly partition?: number
  readonly offset?: number
}

export function failedFromStored(record: StoredRecord): FailedRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    value: record.value,
    headers: record.headers,
  }
}

export const ERROR_HEADER_PREFIX = '__connect.errors.'

export class DeadLetterHandler {
  private readonly log: Log
  private readonly settings: ConnectorSettings
  private readonly logger: Logger
  private readonly connector: string
  private readonly taskId: number
  private readonly ensureTopic: (topic: string) => Promise<void>
  /** Records sent to the dead-letter topic (or skipped) by this task. */
  tolerated = 0

  constructor(options: {
    log: Log
    settings: ConnectorSettings
    logger: Logger
    connector: string
    taskId: number
    ensureTopic: (topic: string) => Promise<void>
  }) {
    this.log = options.log
    this.settings = options.settings
    this.logger = options.logger
    this.connector = options.connector
    this.taskId = options.taskId
    this.ensureTopic = options.ensureTopic
  }

  /** Throws the error when the connector tolerates none; otherwise records the failure and returns. */
  async handle(stage: ErrorStage, record: FailedRecord, error: unknown): Promise<void> {
    // A retriable failure (a schema registry that did not answer) is not the record's fault: the task
    // fails and is retried, and the record comes again, instead of being set aside.
    if (isTributaryError(error) && error.retriable) throw error
    if (this.settings['errors.tolerance'] === 'none') {
      const where = record.offset === undefined ? record.topic : `${record.topic}-${record.partition} at offset ${record.offset}`
      throw unrecoverable(
        `${stage} failed for a record of ${where} and errors.tolerance is none, so the task stops until it is restarted; to set such records aside instead, set errors.tolerance=all and errors.deadletterqueue.topic.name`,
        error,
      )
    }
    this.tolerated++
    const topic = this.settings['errors.deadletterqueue.topic.name']
    if (this.settings['errors.log.enable']) {
      this.logger.warn(
        { err: error, stage, topic: record.topic, partition: record.partition, offset: record.offset, deadLetterTopic: topic || null },
        'record failed; tolerated',
      )
    }
    if (topic === '') return
    const headers = this.settings['errors.deadletterqueue.context.headers.enable']
      ? [...record.headers, ...this.contextHeaders(stage, record, error)]
      : [...record.headers]
    const deadLetter: LogRecord = { key: record.key, value: record.value, headers }
    await this.ensureTopic(topic)
    await this.log.append(topic, [deadLetter])
  }

  private contextHeaders(stage: ErrorStage, record: FailedRecord, error: unknown): RecordHeader[] {
    const failure = error instanceof Error ? error : new Error(String(error))
    const fields: Record<string, string | undefined> = {
      topic: record.topic,
      partition: record.partition?.toString(),
      offset: record.offset?.toString(),
      'connector.name': this.connector,
      'task.id': String(this.taskId),
      stage,
      'exception.class.name': isTributaryError(failure) ? `${failure.name}:${failure.code}` : failure.name,
      'exception.message': maskText(failure.message),
      'exception.stacktrace': maskText(failure.stack ?? failure.message),
    }
    return Object.entries(fields)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => ({ key: ERROR_HEADER_PREFIX + name, value: Buffer.from(value, 'utf8') }))
  }
}
