/**
 * The one place where kafkajs errors become TributaryErrors. A broker's error code is looked up in
 * reverse in core/errors.ts's table (the listener sends those codes, so the two directions agree);
 * what the cluster did not answer (a lost connection, a timeout) becomes TRB_LOG_UNAVAILABLE.
 */
import { errorCodes, TributaryError, type ErrorCode } from '../../errors.ts'

interface KafkajsError extends Error {
  readonly type?: string
  readonly code?: number
  readonly retriable?: boolean
  readonly cause?: unknown
  readonly errors?: readonly unknown[]
  readonly groups?: ReadonlyArray<{ readonly error?: unknown }>
  readonly partitions?: ReadonlyArray<{ readonly error?: unknown }>
}

/** Kafka wire code → our code: the first entry of the table with that Kafka code. */
const byKafkaCode = new Map<number, ErrorCode>()
for (const [code, spec] of Object.entries(errorCodes) as Array<[ErrorCode, (typeof errorCodes)[ErrorCode]]>) {
  if (spec.kafka > 0 && !byKafkaCode.has(spec.kafka)) byKafkaCode.set(spec.kafka, code)
}

/** Codes kafkajs reports that the table keeps under another Kafka code. */
const byKafkajsType: Readonly<Record<string, ErrorCode>> = {
  INVALID_REPLICATION_FACTOR: 'TRB_CONFIG_INVALID',
  INVALID_REQUEST: 'TRB_CONFIG_INVALID',
  GROUP_ID_NOT_FOUND: 'TRB_GROUP_NOT_FOUND',
  NON_EMPTY_GROUP: 'TRB_GROUP_NOT_EMPTY',
  INVALID_PRODUCER_EPOCH: 'TRB_PRODUCER_FENCED',
  PRODUCER_FENCED: 'TRB_PRODUCER_FENCED',
  RECORD_LIST_TOO_LARGE: 'TRB_LOG_RECORD_TOO_LARGE',
  REQUEST_TIMED_OUT: 'TRB_LOG_UNAVAILABLE',
  NETWORK_EXCEPTION: 'TRB_LOG_UNAVAILABLE',
  // The group's coordinator moved or is loading: not answered yet, ask it again.
  GROUP_LOAD_IN_PROGRESS: 'TRB_LOG_UNAVAILABLE',
  GROUP_COORDINATOR_NOT_AVAILABLE: 'TRB_LOG_UNAVAILABLE',
  NOT_COORDINATOR_FOR_GROUP: 'TRB_LOG_UNAVAILABLE',
}

export function fromKafkaError(error: unknown, what: string, details: Readonly<Record<string, unknown>> = {}): TributaryError {
  if (error instanceof TributaryError) return error
  const root = innermost(error)
  const code = codeOf(root)
  const type = root.type ?? root.name
  return new TributaryError(code, `${what}: ${root.message}`, {
    cause: error,
    details: { ...details, kafka: type, ...(root.code === undefined ? {} : { kafkaErrorCode: root.code }) },
    ...(code === 'TRB_INTERNAL' && root.retriable !== undefined ? { retriable: root.retriable } : {}),
  })
}

/** The error that says what went wrong: retries, aggregates, group and partition results wrap it. */
function innermost(error: unknown): KafkajsError {
  let current = (error instanceof Error ? error : new Error(String(error))) as KafkajsError
  for (let depth = 0; depth < 5; depth++) {
    const inner =
      current.name === 'KafkaJSNumberOfRetriesExceeded' || current.name === 'KafkaJSNonRetriableError'
        ? current.cause
        : (current.errors?.[0] ??
          current.groups?.find((group) => group.error)?.error ??
          current.partitions?.find((partition) => partition.error)?.error)
    if (!(inner instanceof Error)) break
    current = inner as KafkajsError
  }
  return current
}

/**
 * Codes newer than kafkajs, which reports them as KAFKAJS_UNKNOWN_ERROR_CODE with the number only in
 * its message.
 */
const byNewerKafkaCode: ReadonlyMap<number, ErrorCode> = new Map([
  // UNKNOWN_TOPIC_ID: a topic whose deletion the cluster is finishing is known by name, no longer by id.
  [100, 'TRB_TOPIC_NOT_FOUND'],
])

function codeOf(error: KafkajsError): ErrorCode {
  if (error.type !== undefined && byKafkajsType[error.type]) return byKafkajsType[error.type]!
  if (typeof error.code === 'number' && byKafkaCode.has(error.code)) return byKafkaCode.get(error.code)!
  const newer = error.type === 'KAFKAJS_UNKNOWN_ERROR_CODE' ? /Unknown error code (\d+)/.exec(error.message)?.[1] : undefined
  if (newer !== undefined) {
    const known = byNewerKafkaCode.get(Number(newer)) ?? byKafkaCode.get(Number(newer))
    if (known !== undefined) return known
  }
  if (/Connection|Timeout|BrokerNotFound|NoBrokerAvailable/.test(error.name)) return 'TRB_LOG_UNAVAILABLE'
  // kafkajs reads its cluster metadata before a refresh has filled it (brokers that briefly disagree
  // after a topic was deleted): nothing is wrong that asking again will not mend.
  if (error instanceof TypeError && error.message.includes("(reading 'topicMetadata')")) return 'TRB_LOG_UNAVAILABLE'
  return 'TRB_INTERNAL'
}
