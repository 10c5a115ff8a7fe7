/**
 * Source offsets in `_tributary-offsets`, keyed as Kafka Connect keys them: the JSON array
 * `["<connector>", {<source partition>}]`, value the source offset, a tombstone to reset. Partition
 * maps are compared with their keys sorted, so `{a, b}` and `{b, a}` are one partition.
 */
import { z } from 'zod'
import type { Log, LogTransaction } from '../log/log.ts'
import { CompactedStore, schemaProblem } from '../log/compacted-store.ts'
import type { SourceOffset, SourcePartition } from './plugin.ts'

export interface PartitionOffset {
  readonly partition: SourcePartition
  readonly offset: SourceOffset
}

/** Offsets asked for while a write is under way: they go together as the next append. */
interface NextWrite {
  readonly entries: Map<string, SourceOffset | undefined>
  readonly done: Promise<void>
}

const keyShape = z.tuple([z.string(), z.record(z.string(), z.union([z.string(), z.number()]))])
const offsetShape = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))

/** An offset record whose key is not `["<connector>", {partition}]`, or whose value is not a flat map, is skipped. */
function checkOffsetRecord(key: string, value: unknown): string | undefined {
  let parsedKey: unknown
  try {
    parsedKey = JSON.parse(key)
  } catch {
    return 'the key is not JSON'
  }
  const keyProblem = schemaProblem(keyShape, parsedKey)
  if (keyProblem !== undefined) return `key ${keyProblem}`
  return schemaProblem(offsetShape, value)
}

export class SourceOffsetStore {
  private readonly store: CompactedStore<SourceOffset>
  private next: NextWrite | undefined
  private writing: Promise<void> = Promise.resolve()

  private constructor(store: CompactedStore<SourceOffset>) {
    this.store = store
  }

  static async open(log: Log, topic: string): Promise<SourceOffsetStore> {
    return new SourceOffsetStore(await CompactedStore.open<SourceOffset>(log, topic, { check: checkOffsetRecord }))
  }

  /** Reads what other workers wrote since the last read; the changed keys. */
  catchUp(options: { maxWaitMs?: number; signal?: AbortSignal } = {}): Promise<string[]> {
    return this.store.catchUp(options)
  }

  get(connector: string, partition: SourcePartition): SourceOffset | undefined {
    return this.store.get(offsetKey(connector, partition))
  }

  list(connector: string): PartitionOffset[] {
    const result: PartitionOffset[] = []
    for (const [key, offset] of this.store.entries()) {
      const [name, partition] = JSON.parse(key) as [string, SourcePartition]
      if (name === connector) result.push({ partition, offset })
    }
    return result
  }

  /**
   * Stores offsets durably; a null offset resets that partition. Writes asked for while one is under
   * way wait for it and then go as one append, the newest offset of each partition winning, so
   * sources that finish a batch every millisecond need not wait a disk flush each, one after another.
   */
  write(connector: string, offsets: ReadonlyArray<{ partition: SourcePartition; offset: SourceOffset | null }>): Promise<void> {
    if (offsets.length === 0) return Promise.resolve()
    let next = this.next
    if (next === undefined) {
      const entries = new Map<string, SourceOffset | undefined>()
      const done = this.writing.then(() => {
        // From here on, newer offsets wait for the write after this one.
        if (this.next?.entries === entries) this.next = undefined
        return this.store.write([...entries])
      })
      this.writing = done.catch(() => undefined) // the callers get the error through `done`; the next write goes on
      next = this.next = { entries, done }
    }
    for (const { partition, offset } of offsets) next.entries.set(offsetKey(connector, partition), offset ?? undefined)
    return next.done
  }

  /**
   * Stores offsets inside a transaction (an exactly-once source's batch): they count once it has
   * committed and `apply` is called, and never if it aborts.
   */
  writeIn(
    transaction: LogTransaction,
    connector: string,
    offsets: ReadonlyArray<{ partition: SourcePartition; offset: SourceOffset | null }>,
  ): Promise<{ apply: () => void }> {
    return this.store.writeIn(
      transaction,
      offsets.map(({ partition, offset }) => [offsetKey(connector, partition), offset ?? undefined] as const),
    )
  }

  /** Resets every partition the topic holds for the connector, including those other workers stored. */
  async reset(connector: string): Promise<void> {
    await this.catchUp()
    await this.write(
      connector,
      this.list(connector).map(({ partition }) => ({ partition, offset: null })),
    )
  }
}

function offsetKey(connector: string, partition: SourcePartition): string {
  const sorted = Object.fromEntries(Object.entries(partition).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return JSON.stringify([connector, sorted])
}
