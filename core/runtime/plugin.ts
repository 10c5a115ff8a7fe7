/**
 * The connector plugin API, which the package exports as `tributary/plugin`: the only module a
 * connector imports from the runtime, built-in or not, so it holds (or re-exports) everything one
 * needs. docs/writing-a-connector.md walks through it.
 *
 * Shape after Kafka Connect (poll/commit, put/flush), with Benthos' rule that an acknowledgement
 * follows the record: a source's `commit` receives exactly the records that are now durable in the log
 * and whose offsets are stored, in order.
 *
 * Records carry plain data (objects, strings, Buffers, null) rather than bytes, and, when known, its
 * schema (Kafka Connect's data model, schema/schema.ts): transforms work on that data, and the
 * connector's converters (`key.converter`, `value.converter`: json, string, bytes) turn it into bytes
 * at the log boundary, as Kafka Connect's converters do.
 */
import type { ZodType } from 'zod'
import type { Clock } from '../clock.ts'
import type { Logger } from '../logger.ts'
import type { PathAccess } from './path-policy.ts'
import type { Schema } from './schema/schema.ts'

/** Connector configuration as Kafka Connect has it: a flat map of string keys to string values. */
export type ConnectorConfig = Readonly<Record<string, string>>

/** Where a source reads from, e.g. `{ file: '/var/log/app.log' }` or `{ server: 'orders' }`. */
export type SourcePartition = Readonly<Record<string, string | number>>
/** How far a source has read in one partition, e.g. `{ position: 1024 }` or `{ lsn: '0/16B3748' }`. */
export type SourceOffset = Readonly<Record<string, string | number | boolean | null>>

/** Header values: strings are stored as UTF-8; sinks get Buffers back. */
export type RecordHeaders = Readonly<Record<string, string | Buffer>>

/** Data that carries its own JSON text (JsonTextSource, JsonBytes), which the json converter writes as it is (to-json.ts). */
export { toJsonText, JsonBytes, plainData, type JsonTextSource } from './to-json.ts'

/** The fields every record has on its way through transforms. */
export interface ConnectRecord {
  readonly topic: string
  /** Pins a partition; otherwise the key's hash (or the spreader, for keyless records) picks one. */
  readonly partition?: number | undefined
  /** null: no key. */
  readonly key: unknown
  /** What the key is; absent for schemaless data, which converters take as it is. */
  readonly keySchema?: Schema | undefined
  /** null: a tombstone. */
  readonly value: unknown
  /** What the value is (schema.ts); absent for schemaless data. A null value without one is a tombstone. */
  readonly valueSchema?: Schema | undefined
  readonly headers?: RecordHeaders | undefined
  /** Create time in ms; the append time when absent. */
  readonly timestamp?: number | undefined
}

export interface SourceRecord extends ConnectRecord {
  readonly sourcePartition: SourcePartition
  readonly sourceOffset: SourceOffset
}

export interface SinkRecord extends ConnectRecord {
  readonly partition: number
  /** Offsets are JS numbers throughout Tributary (exact to 2^53). */
  readonly offset: number
  readonly headers: Readonly<Record<string, Buffer>>
  readonly timestamp: number
}

interface BaseTaskContext<C> {
  readonly connector: string
  readonly taskId: number
  /** The task's own config, as the plugin's `taskConfigs` returned it. */
  readonly config: C
  readonly logger: Logger
  readonly clock: Clock
  /** Fires when the task is being stopped; pending waits should end. */
  readonly signal: AbortSignal
  /**
   * Progress a user should see (snapshot rows done, WAL retained): shown as `details` in the task's
   * REST status and the CLI, numbers also as the Prometheus gauge `tributary_task_detail`. Replaces
   * the previous details.
   */
  reportStatus(details: TaskDetails): void
  /** What the worker lets this task touch: check every file before opening it, every host before connecting. */
  readonly policy: ConnectPolicy
}

/** How a connector uses a file. */
export type { PathAccess } from './path-policy.ts'

/**
 * The worker's sandbox (`--file-allowed-paths`, `--connect-allowed-hosts`), as a task sees it. The
 * runtime checks what a plugin's `targets` declares when a connector is validated or created; a task
 * checks again when it opens or connects, since a symbolic link or a DNS answer may have changed since.
 */
export interface ConnectPolicy {
  /**
   * The path to open for `file`: absolute, `..` and symbolic links resolved (for a file not yet
   * there, through its deepest existing ancestor). Open this path, not `file`, so what was checked is
   * what is opened. Throws TRB_PATH_NOT_ALLOWED when it lies outside the allowed directories.
   */
  checkPath(file: string, access: PathAccess): string
  /**
   * The addresses `host` may be reached at on `port`, resolved and checked: connect to one of these,
   * not to the name, so a second DNS answer cannot swap the target. Throws
   * TRB_CONNECT_HOST_NOT_ALLOWED when the name or every address it resolves to is refused.
   */
  checkHost(host: string, port: number): Promise<string[]>
}

/** What a connector's config makes it touch, each with the config key that names it. */
export interface ConnectTargets {
  readonly paths?: ReadonlyArray<{ readonly key: string; readonly path: string; readonly access: PathAccess }>
  readonly hosts?: ReadonlyArray<{ readonly key: string; readonly host: string; readonly port: number }>
}

export type TaskDetails = Readonly<Record<string, string | number | boolean | null>>

export interface SourceTaskContext<C> extends BaseTaskContext<C> {
  /** The last offset stored for a source partition, to resume after it. */
  storedOffset(partition: SourcePartition): Promise<SourceOffset | undefined>
  /** The worker's webhook entry point, `POST /ingest/<connector>` on the REST port. */
  readonly ingress: Ingress
  /**
   * A key-value table in a compacted internal topic of this worker's log, for state a source keeps
   * beside its offsets (Debezium's schema history): read whole on open, so it survives restarts.
   */
  openStore<V>(topic: string): Promise<TopicStore<V>>
}

/** Values are JSON; the newest value per key wins. */
export interface TopicStore<V> {
  entries(): IterableIterator<[string, V]>
  /** Resolves once the records are durable; `undefined` deletes a key. */
  write(changes: ReadonlyArray<readonly [string, V | undefined]>): Promise<void>
}

export interface SinkTaskContext<C> extends BaseTaskContext<C> {
  /**
   * Hands one record the sink cannot write (a 4xx from an endpoint, a constraint violation) to the
   * connector's error handling: with `errors.tolerance: all` it goes to the dead-letter topic and the
   * call resolves; with `none` the call rejects and the task fails. Kafka Connect's ErrantRecordReporter.
   */
  reportBadRecord(record: SinkRecord, error: Error): Promise<void>
  /**
   * Appends records to topics of this worker's log with the connector's converters, resolving once
   * they are durable: for sinks whose store is the log itself (the topic sink). For a plugin that
   * declares `producesToLog` on a worker with exactly-once enabled, the records are held instead and
   * appended when the flush commits its transaction.
   */
  produce(records: readonly ConnectRecord[]): Promise<void>
}

/**
 * A durable record as commit() gets it: where it came from, without its key and value, which the
 * runtime lets go once they are converted (a batch waiting for the disk would otherwise keep every
 * record's data alive through it).
 */
export type CommittedRecord = Pick<SourceRecord, 'topic' | 'sourcePartition' | 'sourceOffset'>

export interface SourceTask {
  /** Connects, reads `storedOffset()`, and resumes after it. */
  start(): Promise<void>
  /** Waits up to the task's own poll limit; [] is a normal answer. Throw a retriable TributaryError to be retried. */
  poll(signal: AbortSignal): Promise<SourceRecord[]>
  /** These records and their offsets are durable, in poll order. Confirm upstream here (an LSN, a webhook reply). */
  commit?(durable: readonly CommittedRecord[]): Promise<void>
  /** Idempotent; no poll or commit follows once it resolves. */
  stop(): Promise<void>
}

export interface SinkTask {
  start(): Promise<void>
  /** May buffer. Throw a retriable TributaryError to be handed the same records again. */
  put(records: readonly SinkRecord[]): Promise<void>
  /** Everything put() so far is stored; the consumer offsets are committed after this resolves. */
  flush(): Promise<void>
  stop(): Promise<void>
  /**
   * True when put() may be called while a flush() is under way: the task keeps what it is put from
   * then on apart from what that flush stores. The runtime then reads and puts batch N+1 while batch
   * N is being stored; flush() calls still never overlap, and each commits in order.
   */
  readonly putsWhileFlushing?: boolean
}

interface PluginBase<C> {
  /** The name used in `connector.class` and YAML `type`, e.g. `file-source`. */
  readonly name: string
  /** Other accepted `connector.class` values, e.g. Kafka's `FileStreamSource` class names. */
  readonly aliases?: readonly string[]
  readonly version: string
  readonly description: string
  /** More of the reference page (docs/connectors/<name>.md), in Markdown, after the keys: a sink's type mapping, say. */
  readonly reference?: string
  /**
   * Parses the flat string config (runtime keys such as `tasks.max` pass through untouched). A zod
   * schema with `.describe()` on every field: validation, `GET /connector-plugins/{name}/config` and
   * the connector's reference page all come from it.
   */
  readonly config: ZodType<C>
  // The members below take C, so they are function-typed properties rather than methods: TypeScript
  // then checks their parameters strictly, and a plugin reaches the runtime only through definePlugin.
  /** Splits the connector's config into at most `maxTasks` task configs. */
  readonly taskConfigs: (config: C, maxTasks: number) => C[]
  /** For resources that outlive tasks (a replication slot): runs once when the connector is created. */
  readonly onCreated?: (config: C) => Promise<void>
  /** Runs once when the connector is deleted. */
  readonly onDeleted?: (config: C) => Promise<void>
  /** The files and hosts a config names, checked against the worker's sandbox on validate and create. */
  readonly targets?: (config: C) => ConnectTargets
}

/** A source plugin whose config parses to C; declare one with definePlugin. */
export type SourcePlugin<C = unknown> = PluginBase<C> & {
  readonly kind: 'source'
  readonly createTask: (context: SourceTaskContext<C>) => SourceTask
}

/** A sink plugin whose config parses to C; declare one with definePlugin. */
export type SinkPlugin<C = unknown> = PluginBase<C> & {
  readonly kind: 'sink'
  /**
   * The sink's store is this worker's log: its tasks write only through `context.produce`, and only
   * in flush(), keeping what they were put until a flush succeeds (the topic sink). On a worker with
   * exactly-once enabled, each flush's output and the consumed offsets then commit in one transaction.
   */
  readonly producesToLog?: boolean
  readonly createTask: (context: SinkTaskContext<C>) => SinkTask
}

/**
 * A plugin as the runtime holds it, whatever its config type: it hands taskConfigs, createTask and
 * the hooks only what `config.parse` returned (definePlugin says why that is sound).
 */
export type ConnectorPlugin = SourcePlugin | SinkPlugin

/** A source plugin typed by its config (for its own tests) that the runtime takes as it is. */
export type DefinedSourcePlugin<C> = SourcePlugin<C> & SourcePlugin
/** A sink plugin typed by its config (for its own tests) that the runtime takes as it is. */
export type DefinedSinkPlugin<C> = SinkPlugin<C> & SinkPlugin

/**
 * The one way to declare a connector plugin. The config type C is inferred from the plugin's zod
 * schema and flows into taskConfigs, createTask's context, the lifecycle hooks and targets, so a
 * plugin is checked against its own config; what comes back is also a ConnectorPlugin, the form the
 * runtime holds every plugin in, so the runtime never casts.
 *
 * ```ts
 * export default definePlugin({
 *   kind: 'source', name: 'counter-source', version: '1.0.0', description: 'Counts',
 *   config: z.object({ topic: z.string().describe('Where the numbers go') }),
 *   taskConfigs: (config) => [config],
 *   createTask: (context) => new CounterTask(context), // context.config.topic is a string
 * })
 * ```
 */
export function definePlugin<C>(plugin: SourcePlugin<C>): DefinedSourcePlugin<C>
export function definePlugin<C>(plugin: SinkPlugin<C>): DefinedSinkPlugin<C>
export function definePlugin<C>(plugin: SourcePlugin<C> | SinkPlugin<C>): ConnectorPlugin {
  // The only place a config type is erased. A plugin's functions take C, and the erased form says
  // they take anything; that is sound because the runtime calls them only with what this plugin's
  // own `config.parse` returned (taskConfigs, onCreated, onDeleted, targets) or with one of the task
  // configs taskConfigs returned (createTask's context.config), all of which are C. TypeScript
  // cannot say "some C" (an existential type), hence the cast.
  return plugin as unknown as ConnectorPlugin
}

/** A webhook request, as the REST server received it. */
export interface IngressRequest {
  readonly body: Buffer
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly query: Readonly<Record<string, string | undefined>>
}

export interface IngressResponse {
  readonly status: number
  readonly body?: unknown
}

export type IngressHandler = (request: IngressRequest, signal: AbortSignal) => Promise<IngressResponse>

export interface IngressOptions {
  /** Larger bodies get 413 before the handler sees them. */
  readonly maxBodyBytes: number
  /**
   * The webhook's own bearer token: requests carrying it (or the REST API's token) reach the handler,
   * others get 401 first. Without one, the REST API's token, when set, is needed.
   */
  readonly token?: string | undefined
}

export interface Ingress {
  /** Serves `POST /ingest/<connector>` with this handler until the returned function is called. */
  register(handler: IngressHandler, options: IngressOptions): () => void
}

/** What a secret is and how to mask one (a key named like a secret; a password inside a URL or text). */
export { SECRET_KEY_PATTERN, isSecretKey, maskText } from '../secrets.ts'

/** The only thing a failed connection's error may say to a REST caller: refused, unreachable, timed out, protocol. */
export { connectFailureReason, type ConnectFailureReason } from './connect-failure.ts'
export { connectError } from './connect-error.ts'

/** For tasks that sleep in poll() until woken, a timeout passes, or they are stopped. */
export { Wakeup } from './wakeup.ts'

/** Kafka Connect's data model: schemas, their builders, logical types and Debezium's semantic types. */
export {
  Schemas,
  asOptional,
  withOptions,
  sameSchema,
  field,
  type Schema,
  type SchemaType,
  type Field,
  type SchemaOptions,
} from './schema/schema.ts'
export {
  Logical,
  DECIMAL,
  DATE,
  TIME,
  TIMESTAMP,
  DECIMAL_PRECISION,
  decimalScale,
  decimalText,
  decimalFromBytes,
  unscaledOf,
  twosComplementBytes,
} from './schema/logical.ts'
export { Debezium, DebeziumNames } from './schema/debezium.ts'
export { civilFromDays, daysFromCivil, type CivilDate } from './schema/calendar.ts'
/** JsonConverter's text of schemas and payloads, for a connector that encodes its records itself (in a thread of its own, say). */
export { schemaJson, schemaFromJson } from './schema/connect-json.ts'
export { payloadWriter } from './schema/connect-json-payload.ts'
export { toPayloadText, type PayloadTextSource } from './schema/payload-text.ts'

/** Everything a connector throws is a TributaryError with a code from the one table (docs/errors.md). */
export { TributaryError, isTributaryError, errorCodes, type ErrorCode, type TributaryErrorOptions } from '../errors.ts'

/** Time and logs, as a task's context hands them over. */
export { systemClock, abortError, type Clock } from '../clock.ts'
export type { Logger } from '../logger.ts'

/** The one reader of binary formats, for a connector that decodes its driver's wire format. */
export { ByteReader } from '../byte-reader.ts'

/** Data as the json converter writes it, and a cheap guard against JSON nested too deep to handle. */
export { toJson } from './to-json.ts'
export { DEFAULT_MAX_JSON_DEPTH, exceedsJsonDepth } from '../json-depth.ts'

/** Work in a thread of its own (a snapshot's decoding), from compiled code or from the sources. */
export { startModuleThread, siblingModule, type ModuleThreadData } from './module-thread.ts'

/** Opening a file the sandbox checked, refusing a link planted in its place since (file connectors). */
export { openUnfollowed } from './path-policy.ts'
