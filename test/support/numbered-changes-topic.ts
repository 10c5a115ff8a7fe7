/**
 * The change topic of numbered-changes.ts's table as a read_committed reader sees it, and its
 * comparison with what the writer committed: each change number once, none missing, and each key's
 * numbers in commit order. Change events are read with or without the JSON converter's envelope.
 */
import { isTributaryError } from '../../core/errors.ts'
import type { Log } from '../../core/log/log.ts'
import type { NumberedChanges } from './numbered-changes.ts'

export interface ChangeEvent {
  readonly op: string
  readonly key: number
  readonly n: number
}

/** A topic read from the start on, with read_committed, as far as it is decided each time. */
export class CommittedTail {
  readonly partitions: ChangeEvent[][] = []
  private readonly offsets: number[] = []
  private readonly numbers = new Set<number>()
  private readonly log: Log
  private readonly topic: string

  constructor(log: Log, topic: string) {
    this.log = log
    this.topic = topic
  }

  get count(): number {
    return this.partitions.reduce((sum, events) => sum + events.length, 0)
  }

  /** Change numbers seen, each counted once. */
  get distinct(): number {
    return this.numbers.size
  }

  /** Reads on in every partition up to its last stable offset; the count of events so far. */
  async readOn(): Promise<number> {
    let partitionCount: number
    try {
      partitionCount = (await this.log.describeTopic(this.topic)).partitions.length
    } catch (error) {
      if (isTributaryError(error, 'TRB_TOPIC_NOT_FOUND') || (isTributaryError(error) && error.retriable)) return this.count
      throw error
    }
    for (let partition = 0; partition < partitionCount; partition++) {
      const events = this.partitions[partition] ?? []
      this.partitions[partition] = events
      for (;;) {
        const offset = this.offsets[partition] ?? 0
        const read = await this.log.read(this.topic, partition, offset, { isolation: 'read_committed', maxBytes: 8 << 20, maxWaitMs: 100 })
        for (const record of read.records) {
          const event = changeEvent(record.value)
          events.push(event)
          this.numbers.add(event.n)
        }
        this.offsets[partition] = read.nextOffset
        if (read.records.length === 0 || read.nextOffset >= read.lastStableOffset) break
      }
    }
    return this.count
  }
}

/** A change event's op, key and number (with or without the JSON converter's schema envelope). */
function changeEvent(value: Buffer | null): ChangeEvent {
  const parsed = JSON.parse(value?.toString() ?? 'null') as { payload?: unknown }
  const event = (parsed.payload ?? parsed) as { op: string; after: { id: number; n: number } }
  return { op: event.op, key: Number(event.after.id), n: Number(event.after.n) }
}

/** What the topic holds against what was written: empty lists and equal counts when exactly once and in order. */
export function compareWithWrites(tail: CommittedTail, writer: NumberedChanges, total: number) {
  const seen = new Map<number, number>()
  const byKey = new Map<number, number[]>()
  let snapshotRows = 0
  for (const events of tail.partitions) {
    for (const event of events) {
      seen.set(event.n, (seen.get(event.n) ?? 0) + 1)
      if (event.op === 'r') snapshotRows++
      const list = byKey.get(event.key) ?? []
      list.push(event.n)
      byKey.set(event.key, list)
    }
  }
  const twice = [...seen].filter(([, times]) => times > 1).map(([n]) => n)
  const missing: number[] = []
  for (let n = 1; n <= total; n++) if (!seen.has(n)) missing.push(n)
  const misordered = [...writer.byKey]
    .filter(([key, expected]) => JSON.stringify(byKey.get(key)) !== JSON.stringify(expected))
    .map(([key]) => key)
  return { events: tail.count, snapshotRows, twice: twice.slice(0, 10), missing: missing.slice(0, 10), misordered: misordered.slice(0, 10) }
}
