/**
 * Source offsets in `_tributary-offsets`, keyed as Kafka Connect keys them: the JSON array
 * `["<connector>", {<source partition>}]`, value the source offset, a tombstone to reset. Partition
 * maps are compared with their keys sorted, so `{a, b}` and `{b, a}` are one partition.
 */
import type { Log } from '../log/log.ts'
import { CompactedStore } from './compacted-store.ts'
import type { SourceOffset, SourcePartition } from './plugin.ts'

export const OFFSETS_TOPIC = '_tributary-offsets'

export interface PartitionOffset {
  readonly partition: SourcePartition
  readonly offset: SourceOffset
}

export class SourceOffsetStore {
  private readonly store: CompactedStore<SourceOffset>

  private constructor(store: CompactedStore<SourceOffset>) {
    this.store = store
  }

  static async open(log: Log): Promise<SourceOffsetStore> {
    return new SourceOffsetStore(await CompactedStore.open<SourceOffset>(log, OFFSETS_TOPIC))
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

  /** Stores offsets durably in one append; a null offset resets that partition. */
  write(connector: string, offsets: ReadonlyArray<{ partition: SourcePartition; offset: SourceOffset | null }>): Promise<void> {
    return this.store.write(offsets.map(({ partition, offset }) => [offsetKey(connector, partition), offset ?? undefined] as const))
  }

  /** Resets every partition the topic holds for the connector, including those other workers stored. */
  async reset(connector: string): Promise<void> {
    await this.catchUp()
    await this.write(connector, this.list(connector).map(({ partition }) => ({ partition, offset: null })))
  }
}

function offsetKey(connector: string, partition: SourcePartition): string {
  const sorted = Object.fromEntries(Object.entries(partition).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return JSON.stringify([connector, sorted])
}
