/**
 * The testing kit for plugin authors (the package's `./testing` export): task contexts for driving
 * one connector task directly in a test (start, poll, commit, put, flush, stop) without a worker.
 * The stored offsets, the stores and the ingress are real, in-memory versions of what the worker
 * provides; a test that needs the whole path (converters, transforms, offsets in the log) runs a
 * worker instead.
 */
import { systemClock, type Clock } from '../clock.ts'
import { createLogger } from '../logger.ts'
import { Sandbox } from '../runtime/sandbox.ts'
import type {
  ConnectPolicy,
  ConnectRecord,
  IngressHandler,
  IngressOptions,
  IngressRequest,
  IngressResponse,
  SinkRecord,
  SinkTaskContext,
  SourceRecord,
  SourceTask,
  SourceOffset,
  SourcePartition,
  SourceTaskContext,
  TopicStore,
} from '../runtime/plugin.ts'

export interface TestIngress {
  register(handler: IngressHandler, options: IngressOptions): () => void
  /** Sends a request to the registered handler, as `POST /ingest/<connector>` would. */
  send(body: string | Buffer, headers?: Record<string, string>, signal?: AbortSignal): Promise<IngressResponse>
  readonly options: IngressOptions | undefined
}

export function testIngress(): TestIngress {
  let handler: IngressHandler | undefined
  let options: IngressOptions | undefined
  return {
    register(next, nextOptions) {
      handler = next
      options = nextOptions
      return () => {
        if (handler === next) handler = undefined
      }
    },
    async send(body, headers = {}, signal = new AbortController().signal) {
      if (handler === undefined) return { status: 503, body: { error_code: 503, message: 'no handler registered' } }
      const request: IngressRequest = { body: Buffer.isBuffer(body) ? body : Buffer.from(body), headers, query: {} }
      return handler(request, signal)
    },
    get options() {
      return options
    },
  }
}

export interface SourceContextOptions {
  readonly connector?: string
  readonly taskId?: number
  readonly offsets?: Map<string, SourceOffset>
  readonly ingress?: TestIngress
  /** The tables behind `openStore`, by topic: share one map between contexts to keep them across a restart. */
  readonly stores?: Map<string, Map<string, unknown>>
  readonly clock?: Clock
  readonly signal?: AbortSignal
  /** The worker's sandbox as the task sees it; default: no limits. */
  readonly policy?: ConnectPolicy
}

/** The stored-offset key the worker uses too: partitions compare by their JSON. */
export function partitionKey(partition: SourcePartition): string {
  return JSON.stringify(Object.entries(partition).sort(([a], [b]) => a.localeCompare(b)))
}

/** The fields both kinds of context share, with test defaults. */
function baseContext<C>(
  config: C,
  options: { connector?: string; taskId?: number; clock?: Clock; signal?: AbortSignal; policy?: ConnectPolicy },
) {
  return {
    connector: options.connector ?? 'test-connector',
    taskId: options.taskId ?? 0,
    config,
    logger: createLogger('test-task'),
    clock: options.clock ?? systemClock,
    signal: options.signal ?? new AbortController().signal,
    reportStatus: () => undefined,
    policy: options.policy ?? Sandbox.unrestricted(),
  }
}

export function sourceContext<C>(config: C, options: SourceContextOptions = {}): SourceTaskContext<C> {
  const offsets = options.offsets ?? new Map<string, SourceOffset>()
  const stores = options.stores ?? new Map<string, Map<string, unknown>>()
  return {
    ...baseContext(config, options),
    storedOffset: async (partition) => offsets.get(partitionKey(partition)),
    ingress: options.ingress ?? testIngress(),
    openStore: async <V>(topic: string) => memoryStore<V>(stores, topic),
  }
}

/** An in-memory `TopicStore`; values go through JSON as they would through the topic. */
function memoryStore<V>(stores: Map<string, Map<string, unknown>>, topic: string): TopicStore<V> {
  const table = (stores.get(topic) ?? stores.set(topic, new Map()).get(topic)) as Map<string, V>
  return {
    entries: () => table.entries(),
    write: async (changes) => {
      for (const [key, value] of changes) {
        if (value === undefined) table.delete(key)
        else table.set(key, JSON.parse(JSON.stringify(value)) as V)
      }
    },
  }
}

export interface SinkContextOptions {
  readonly connector?: string
  readonly taskId?: number
  readonly clock?: Clock
  readonly signal?: AbortSignal
  /** The worker's sandbox as the task sees it; default: no limits. */
  readonly policy?: ConnectPolicy
  /** Collects reported records; the default rejects, as `errors.tolerance: none` does. */
  readonly badRecords?: Array<{ record: SinkRecord; error: Error }>
  /** Collects what the task produces. */
  readonly produced?: ConnectRecord[]
}

export function sinkContext<C>(config: C, options: SinkContextOptions = {}): SinkTaskContext<C> {
  return {
    ...baseContext(config, options),
    reportBadRecord: async (record, error) => {
      if (options.badRecords === undefined) throw error
      options.badRecords.push({ record, error })
    },
    produce: async (records) => {
      options.produced?.push(...records)
    },
  }
}

/** Builds a sink record with the defaults a consumer would fill in. */
export function sinkRecord(fields: Partial<SinkRecord> & Pick<SinkRecord, 'value'>): SinkRecord {
  return { topic: 't', partition: 0, offset: 0, key: null, headers: {}, timestamp: Date.now(), ...fields }
}

/** Polls a source task until `count` records have come (or the time is up), as the runtime would. */
export async function pollRecords(task: SourceTask, count: number, timeoutMs = 5000): Promise<SourceRecord[]> {
  const records: SourceRecord[] = []
  const deadline = Date.now() + timeoutMs
  while (records.length < count && Date.now() < deadline) records.push(...(await task.poll(new AbortController().signal)))
  return records
}
