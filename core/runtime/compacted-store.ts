/**
 * A key-value table kept in a compacted, single-partition topic: the newest record per key wins, a
 * tombstone deletes. Opening reads the topic from its start, so the table survives restarts; writes
 * resolve once the record is durable. Kafka Connect keeps its configs, offsets and statuses this way.
 */
import { isTributaryError } from '../errors.ts'
import type { Log } from '../log/log.ts'

export class CompactedStore<V> {
  private readonly log: Log
  readonly topic: string
  private readonly table = new Map<string, V>()
  /** The log offset each key's value came from, and the next offset to read. */
  private readonly keyOffsets = new Map<string, number>()
  private position = 0
  /** Serialises writes so the topic's order is the order callers wrote in. */
  private writeChain: Promise<unknown> = Promise.resolve()

  private constructor(log: Log, topic: string) {
    this.log = log
    this.topic = topic
  }

  static async open<V>(log: Log, topic: string): Promise<CompactedStore<V>> {
    await ensureCompactedTopic(log, topic)
    const store = new CompactedStore<V>(log, topic)
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
      const read = await this.log.read(this.topic, 0, this.position, { maxBytes: 4 * 1024 * 1024, maxWaitMs: waitMs, ...(options.signal && { signal: options.signal }) })
      for (const record of read.records) {
        if (record.key === null) continue
        const key = record.key.toString('utf8')
        if ((this.keyOffsets.get(key) ?? -1) > record.offset) continue
        this.keyOffsets.set(key, record.offset)
        if (record.value === null) this.table.delete(key)
        else this.table.set(key, JSON.parse(record.value.toString('utf8')) as V)
        changed.add(key)
      }
      if (read.nextOffset > this.position) this.position = read.nextOffset
      if (this.position >= read.highWatermark || read.records.length === 0) return [...changed]
      waitMs = 0
    }
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
    const records = changes.map(([key, value]) => ({
      key: Buffer.from(key, 'utf8'),
      value: value === undefined ? null : Buffer.from(JSON.stringify(value), 'utf8'),
      partition: 0,
    }))
    const done = this.writeChain.then(() => this.log.append(this.topic, records))
    this.writeChain = done.catch(() => undefined)
    const appended = await done
    for (const [i, [key, value]] of changes.entries()) {
      const offset = appended[i]?.offset ?? appended[0]?.offset ?? 0
      if ((this.keyOffsets.get(key) ?? -1) > offset) continue
      this.keyOffsets.set(key, offset)
      if (value === undefined) this.table.delete(key)
      else this.table.set(key, value)
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
