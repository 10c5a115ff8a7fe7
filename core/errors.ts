/**
 * Every error Tributary throws is a TributaryError with a stable code from the one table below.
 * Boundaries translate the code, never the message: REST uses `http`, the Kafka listener `kafka`.
 * docs/errors.md lists every code; a unit test keeps the two in step.
 */

interface ErrorSpec {
  readonly http: number
  /** Kafka protocol error code sent on the wire for this failure. */
  readonly kafka: number
  readonly retriable: boolean
  readonly summary: string
}

export const errorCodes = {
  TRB_INTERNAL: { http: 500, kafka: -1, retriable: false, summary: 'An unexpected internal failure' },
  TRB_CONFIG_INVALID: { http: 400, kafka: 40, retriable: false, summary: 'A configuration value is missing or invalid' },
  TRB_TOPIC_INVALID_NAME: { http: 400, kafka: 17, retriable: false, summary: 'The topic name breaks the naming rules' },
  TRB_TOPIC_EXISTS: { http: 409, kafka: 36, retriable: false, summary: 'A topic with that name already exists' },
  TRB_TOPIC_NOT_FOUND: { http: 404, kafka: 3, retriable: false, summary: 'No such topic or partition' },
  TRB_TOPIC_INVALID_PARTITIONS: { http: 400, kafka: 37, retriable: false, summary: 'The partition count is invalid' },
  TRB_LOG_OFFSET_OUT_OF_RANGE: { http: 416, kafka: 1, retriable: false, summary: 'The offset is outside the log' },
  TRB_LOG_CORRUPT: { http: 500, kafka: 2, retriable: false, summary: 'Stored data failed its integrity check' },
  TRB_LOG_RECORD_TOO_LARGE: { http: 413, kafka: 10, retriable: false, summary: 'A record or batch exceeds max.message.bytes' },
  TRB_LOG_INVALID_BATCH: { http: 400, kafka: 87, retriable: false, summary: 'A record batch is malformed' },
  TRB_LOG_STORAGE: { http: 500, kafka: 56, retriable: true, summary: 'The disk refused a read or write' },
  TRB_LOG_CLOSED: { http: 503, kafka: 56, retriable: true, summary: 'The log is closed or closing' },
  TRB_LOG_POLICY_VIOLATION: {
    http: 409,
    kafka: 44,
    retriable: false,
    summary: "The topic's cleanup.policy forbids it (deleting records of a topic that only compacts)",
  },
  TRB_LOG_UNAVAILABLE: { http: 503, kafka: 13, retriable: true, summary: 'The Kafka cluster behind the log did not answer' },
  TRB_GROUP_INVALID_ID: { http: 400, kafka: 24, retriable: false, summary: 'The consumer group id is invalid' },
  TRB_GROUP_UNKNOWN_MEMBER: { http: 409, kafka: 25, retriable: false, summary: 'The member is not part of the group' },
  TRB_GROUP_ILLEGAL_GENERATION: { http: 409, kafka: 22, retriable: false, summary: 'The member is in an older generation' },
  TRB_GROUP_REBALANCING: { http: 409, kafka: 27, retriable: true, summary: 'The group is rebalancing' },
  TRB_GROUP_INCONSISTENT_PROTOCOL: { http: 409, kafka: 23, retriable: false, summary: 'The member protocols do not match the group' },
  TRB_GROUP_INVALID_SESSION_TIMEOUT: { http: 400, kafka: 26, retriable: false, summary: 'The session timeout is out of range' },
  TRB_GROUP_NOT_EMPTY: { http: 409, kafka: 68, retriable: false, summary: 'The group still has members' },
  TRB_GROUP_NOT_FOUND: { http: 404, kafka: 69, retriable: false, summary: 'No such consumer group' },
  TRB_GROUP_FENCED_INSTANCE: {
    http: 409,
    kafka: 82,
    retriable: false,
    summary: "A newer member took over this static member's instance id",
  },
  TRB_CONNECTOR_NOT_FOUND: { http: 404, kafka: -1, retriable: false, summary: 'No such connector' },
  TRB_CONNECTOR_EXISTS: { http: 409, kafka: -1, retriable: false, summary: 'A connector with that name already exists' },
  TRB_CONNECTOR_CONFIG_INVALID: { http: 400, kafka: -1, retriable: false, summary: 'The connector configuration failed validation' },
  TRB_CONNECTOR_STATE: { http: 400, kafka: -1, retriable: false, summary: 'The connector is in the wrong state for this request' },
  TRB_NOT_ASSIGNED: {
    http: 409,
    kafka: -1,
    retriable: true,
    summary: 'Another worker of the group runs it and the request could not go there (a rebalance may be under way)',
  },
  TRB_FORWARD_FAILED: { http: 502, kafka: -1, retriable: true, summary: 'The worker that runs it did not answer a forwarded request' },
  TRB_PLUGIN_NOT_FOUND: { http: 404, kafka: -1, retriable: false, summary: 'No such connector, transform or converter plugin' },
  TRB_PLUGIN_INVALID: {
    http: 500,
    kafka: -1,
    retriable: false,
    summary: "A module on --plugin-path does not load, is not a plugin, or reuses another plugin's name",
  },
  TRB_TASK_NOT_FOUND: { http: 404, kafka: -1, retriable: false, summary: 'No such task' },
  TRB_TASK_FAILED: { http: 500, kafka: -1, retriable: false, summary: 'A task failed and is not being retried' },
  TRB_TRANSFORM_FAILED: { http: 500, kafka: -1, retriable: false, summary: 'A transform rejected a record' },
  TRB_CONVERTER_FAILED: { http: 500, kafka: -1, retriable: false, summary: 'A converter could not turn a record into bytes or back' },
  TRB_SCHEMA_REGISTRY_UNAVAILABLE: {
    http: 503,
    kafka: -1,
    retriable: true,
    summary: "A converter's schema registry did not answer: the task retries, no record is set aside",
  },
  TRB_SOURCE_READ: { http: 500, kafka: -1, retriable: true, summary: 'A source could not read from its system' },
  TRB_SOURCE_POSITION_LOST: {
    http: 500,
    kafka: -1,
    retriable: false,
    summary: "The changes after a source's stored position are gone from its system: restarting cannot help",
  },
  TRB_SOURCE_SERVER_SETTING: {
    http: 500,
    kafka: -1,
    retriable: false,
    summary: 'The source database has a setting the connector cannot work with',
  },
  TRB_SINK_WRITE: { http: 500, kafka: -1, retriable: true, summary: 'A sink could not write to its system' },
  TRB_DEAD_LETTER: { http: 500, kafka: -1, retriable: false, summary: 'A record went to the dead-letter topic or could not' },
  TRB_INGEST_REJECTED: { http: 400, kafka: -1, retriable: false, summary: 'A webhook request was refused' },
  TRB_UNAUTHORIZED: { http: 401, kafka: -1, retriable: false, summary: 'The request lacks a valid bearer token' },
  TRB_PIPELINE_INVALID: { http: 400, kafka: -1, retriable: false, summary: 'A pipeline file failed validation' },
  TRB_DASHBOARD_NOT_BUILT: { http: 503, kafka: -1, retriable: false, summary: "The dashboard's files are not built (npm run build:ui)" },
  TRB_PROTOCOL_FRAME: { http: 400, kafka: 42, retriable: false, summary: 'A Kafka protocol frame is malformed or too large' },
  TRB_PROTOCOL_UNSUPPORTED: { http: 400, kafka: 35, retriable: false, summary: 'The Kafka API or version is not supported' },
  TRB_PRODUCER_SEQUENCE: { http: 409, kafka: 45, retriable: false, summary: 'An idempotent producer sent a batch out of sequence' },
  TRB_PRODUCER_FENCED: { http: 409, kafka: 47, retriable: false, summary: 'A newer epoch of this producer id exists' },
  TRB_TXN_INVALID_STATE: {
    http: 409,
    kafka: 48,
    retriable: false,
    summary: "The request does not fit the transaction's state (ending one that never began, producing outside one)",
  },
  TRB_TXN_PRODUCER_ID_MAPPING: {
    http: 409,
    kafka: 49,
    retriable: false,
    summary: 'The producer id is not the one the transactional id holds',
  },
  TRB_TXN_INVALID_TIMEOUT: {
    http: 400,
    kafka: 50,
    retriable: false,
    summary: 'transaction.timeout.ms is outside what the coordinator allows',
  },
  TRB_TXN_CONCURRENT: {
    http: 409,
    kafka: 51,
    retriable: true,
    summary: "The transactional id's last transaction is still being completed",
  },
  TRB_SASL_FAILED: { http: 401, kafka: 58, retriable: false, summary: 'SASL authentication failed' },
  TRB_ABORTED: { http: 503, kafka: 7, retriable: true, summary: 'The operation was cancelled' },
  TRB_REST_HOST_REFUSED: {
    http: 421,
    kafka: -1,
    retriable: false,
    summary: "The request's Host is not a name of this worker (a DNS rebinding guard): add it with --rest-allowed-hosts",
  },
  TRB_CROSS_ORIGIN: { http: 403, kafka: -1, retriable: false, summary: 'A write from another web origin was refused' },
  TRB_UNSUPPORTED_MEDIA_TYPE: {
    http: 415,
    kafka: -1,
    retriable: false,
    summary: "The request body's Content-Type is not the one this endpoint reads",
  },
  TRB_JSON_TOO_DEEP: { http: 400, kafka: -1, retriable: false, summary: 'A JSON document nests deeper than the limit' },
  TRB_PATH_NOT_ALLOWED: { http: 400, kafka: -1, retriable: false, summary: 'A connector names a file outside --file-allowed-paths' },
  TRB_CONNECT_HOST_NOT_ALLOWED: {
    http: 400,
    kafka: -1,
    retriable: false,
    summary: 'A connector names a host outside --connect-allowed-hosts',
  },
  TRB_SECRET_REQUIRED: { http: 400, kafka: -1, retriable: false, summary: "A connector's target changed: its secrets must be sent again" },
  TRB_TOPIC_AUTHORIZATION_FAILED: { http: 403, kafka: 29, retriable: false, summary: 'The principal may not do this to the topic' },
  TRB_GROUP_AUTHORIZATION_FAILED: { http: 403, kafka: 30, retriable: false, summary: 'The principal may not do this to the group' },
  TRB_CLUSTER_AUTHORIZATION_FAILED: { http: 403, kafka: 31, retriable: false, summary: 'The principal may not do this to the cluster' },
  TRB_TRANSACTIONAL_ID_AUTHORIZATION_FAILED: {
    http: 403,
    kafka: 53,
    retriable: false,
    summary: 'The principal may not use the transactional id',
  },
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof errorCodes

export interface TributaryErrorOptions {
  readonly details?: Readonly<Record<string, unknown>>
  readonly cause?: unknown
  /** Overrides the table's default where the caller knows better (a driver error that is transient). */
  readonly retriable?: boolean
}

/**
 * Marks a TributaryError whichever copy of this module made it: a plugin installed on its own brings
 * its own copy of the SDK, and its errors must still count as TributaryErrors (retriable or not).
 */
const BRAND = Symbol.for('tributary.error')

export class TributaryError extends Error {
  readonly code: ErrorCode
  readonly retriable: boolean
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: ErrorCode, message: string, options: TributaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'TributaryError'
    this.code = code
    this.retriable = options.retriable ?? errorCodes[code].retriable
    this.details = options.details ?? {}
  }

  get httpStatus(): number {
    return errorCodes[this.code].http
  }

  get kafkaErrorCode(): number {
    return errorCodes[this.code].kafka
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, retriable: this.retriable, details: this.details }
  }
}
Object.defineProperty(TributaryError.prototype, BRAND, { value: true })

export function isTributaryError(error: unknown, code?: ErrorCode): error is TributaryError {
  const branded = error instanceof TributaryError || (typeof error === 'object' && error !== null && BRAND in error)
  return branded && (code === undefined || (error as TributaryError).code === code)
}

/** Wraps a Node fs error at the storage edge, keeping its errno code. */
export function storageError(operation: string, path: string, cause: unknown): TributaryError {
  const errno = (cause as NodeJS.ErrnoException | undefined)?.code
  return new TributaryError('TRB_LOG_STORAGE', `${operation} failed for ${path}: ${String((cause as Error)?.message ?? cause)}`, {
    cause,
    details: { path, operation, errno },
  })
}
