/**
 * A key-value table kept in a compacted, single-partition topic: the newest record per key wins, a
 * tombstone deletes. Opening reads the topic from its start, so the table survives restarts; writes
 * resolve once the record is durable. Kafka Connect keeps its configs, offsets and statuses this way;
 * the worker's stores, the listener's ACLs and the schema registry keep theirs so, on any Log.
 * A record that is not JSON, or not of the shape its key calls for, is logged (topic, partition,
 * offset, reason; never the value, which may hold secrets) and skipped, as Kafka Connect's backing
 * stores skip one: the key keeps the value it had, and one bad record never stops a worker starting.
 */
import type { ZodType } from 'zod'
import { isTributaryError } from '../errors.ts'
import type { AppendResult, Log, LogRecord, LogTransaction } from './log.ts'
import { createLogger, type Logger } from '../logger.ts'

/** Why a stored record is not a value of the store, or undefined when it is one. */
export type RecordCheck = (key: string, value: unknown) => string | undefined

export interface CompactedStoreOptions {
  /** Checks each parsed record against the shape its key calls for; default: any JSON. */
  readonly check?: RecordCheck
  /** Where skipped records are reported; default: the `internal-topics` logger. */
  readonly logger?: Logger
}

/** A RecordCheck from a zod schema, naming the first field that does not fit (and not its value). */
export function schemaProblem(schema: ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value)
  if (result.success) return undefined
  const issue = result.error.issues[0]
  const where = issue === undefined || issue.path.length === 0 ? 'value' : issue.path.map(String).join('.')
  return `${where}: ${issue?.message ?? 'does not fit'}`
}

export class CompactedStore<V> {
  private readonly log: Log
  readonly topic: string
  private readonly check: RecordCheck | undefined
  private readonly logger: Logger
  private readonly table = new Map<string, V>()
  /** The log offset each key's value came from, and the next offset to read. */
  private readonly keyOffsets = new Map<string, number>()
  private position = 0
  /** Serialises writes so the topic's order is the order callers wrote in. */
  private writeChain: Promise<unknown> = Promise.resolve()

  private constructor(log: Log, topic: string, options: CompactedStoreOptions) {
    this.log = log
    this.topic = topic
    this.check = options.check
    this.logger = options.logger ?? createLogger('internal-topics')
  }

  static async open<V>(log: Log, topic: string, options: CompactedStoreOptions = {}): Promise<CompactedStore<V>> {
    await ensureCompactedTopic(log, topic)
    const store = new CompactedStore<V>(log, topic, options)
    await store.load()
    return store
  }

  private async load(): Promise<void> {
    const { partitions } = await this.log.describeTopic(this.topic)
    this.position = partitions[0]?.logStartOffset ?? 0
    await this.catchUp()
  }

  /**
   * Reads what other writers (other workers of a group) appended since the last read, up to the log
   * end as it is now, and returns the keys that changed. A key is taken only from a record newer than
   * the one it last came from, so a read racing this store's own write never brings back an older value.
   */
  async catchUp(options: { maxWaitMs?: number; signal?: AbortSignal } = {}): Promise<string[]> {
    const changed = new Set<string>()
    let waitMs = options.maxWaitMs ?? 0
    for (;;) {
      const before = this.position
      // read_committed: offsets an exactly-once source wrote in a transaction that aborted never count.
      const read = await this.log.read(this.topic, 0, this.position, {
        maxBytes: 4 * 1024 * 1024,
        maxWaitMs: waitMs,
        isolation: 'read_committed',
        ...(options.signal && { signal: options.signal }),
      })
      for (const record of read.records) {
        if (record.key === null) continue
        const key = record.key.toString('utf8')
        if ((this.keyOffsets.get(key) ?? -1) > record.offset) continue
        let value: V | undefined
        if (record.value !== null) {
          const decoded = this.decode(key, record.value)
          if ('problem' in decoded) {
            this.logger.warn(
              { topic: this.topic, partition: 0, offset: record.offset, key, reason: decoded.problem },
              `skipping record ${record.offset} of ${this.topic} partition 0: ${decoded.problem}`,
            )
            continue
          }
          value = decoded.value
        }
        this.keyOffsets.set(key, record.offset)
        if (value === undefined) this.table.delete(key)
        else this.table.set(key, value)
        changed.add(key)
      }
      if (read.nextOffset > this.position) this.position = read.nextOffset
      // Done at the last stable offset, or when a read moved nowhere (an open transaction holds it back).
      if (this.position >= read.lastStableOffset || this.position === before) return [...changed]
      waitMs = 0
    }
  }

  private decode(key: string, bytes: Buffer): { value: V } | { problem: string } {
    let value: unknown
    try {
      value = JSON.parse(bytes.toString('utf8'))
    } catch {
      // The parser's message quotes the text, which may be a secret: say only what is wrong.
      return { problem: 'the value is not JSON' }
    }
    const problem = this.check?.(key, value)
    return problem === undefined ? { value: value as V } : { problem }
  }

  get(key: string): V | undefined {
    return this.table.get(key)
  }

  entries(): IterableIterator<[string, V]> {
    return this.table.entries()
  }

  /** Writes several keys in one append (one fsync); `undefined` deletes. */
  async write(changes: ReadonlyArray<readonly [string, V | undefined]>): Promise<void> {
    if (changes.length === 0) return
    const staged = this.stage(changes)
    const done = this.writeChain.then(() => this.log.append(this.topic, staged.records))
    this.writeChain = done.catch(() => undefined)
    staged.apply(await done)
  }

  /**
   * Writes several keys inside a transaction: the table takes them once it has committed (`apply`
   * with what the transaction's append answered), and never if it aborts.
   */
  async writeIn(transaction: LogTransaction, changes: ReadonlyArray<readonly [string, V | undefined]>): Promise<{ apply: () => void }> {
    if (changes.length === 0) return { apply: () => undefined }
    const staged = this.stage(changes)
    const appended = await transaction.append(this.topic, staged.records)
    return { apply: () => staged.apply(appended) }
  }

  private stage(changes: ReadonlyArray<readonly [string, V | undefined]>): {
    records: LogRecord[]
    apply: (appended: readonly AppendResult[]) => void
  } {
    const records = changes.map(([key, value]) => ({
      key: Buffer.from(key, 'utf8'),
      value: value === undefined ? null : Buffer.from(JSON.stringify(value), 'utf8'),
      partition: 0,
    }))
    return {
      records,
      apply: (appended) => {
        for (const [i, [key, value]] of changes.entries()) {
          const offset = appended[i]?.offset ?? appended[0]?.offset ?? 0
          if ((this.keyOffsets.get(key) ?? -1) > offset) continue
          this.keyOffsets.set(key, offset)
          if (value === undefined) this.table.delete(key)
          else this.table.set(key, value)
        }
      },
    }
  }

  set(key: string, value: V): Promise<void> {
    return this.write([[key, value]])
  }

  delete(key: string): Promise<void> {
    return this.write([[key, undefined]])
  }
}

export async function ensureCompactedTopic(log: Log, topic: string): Promise<void> {
  try {
    await log.describeTopic(topic)
  } catch (error) {
    if (!isTributaryError(error, 'TRB_TOPIC_NOT_FOUND')) throw error
    await log.createTopic(topic, { partitions: 1, 'cleanup.policy': 'compact', durability: 'fsync', 'segment.bytes': 16 * 1024 * 1024 })
  }
}
