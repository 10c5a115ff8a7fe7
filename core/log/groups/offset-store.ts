/**
 * Committed consumer-group offsets, kept where Kafka keeps them: the compacted topic
 * `__consumer_offsets`, one record per (group, topic, partition), the newest winning. A group's
 * commits all go to the partition its id hashes to, so one group's history stays in order. The map
 * in memory is rebuilt from the topic on open, so offsets survive a restart. A record on open that is
 * not a commit of this shape (written by a broken client) is reported and skipped, as Kafka skips
 * one, and the group keeps its last good offset. Commits made inside a transaction are written as a
 * transactional batch of the producer and wait in PendingTxnOffsets for the marker that decides
 * them; opening replays markers the same way, so an aborted commit never comes back.
 */
import type { InternalTopicLog } from '../internal-topic-log.ts'
import type { LogRecord, StoredRecord } from '../log.ts'
import { transactionEventOf } from '../ongoing-transactions.ts'
import { partitionForKey } from '../partitioner.ts'
import { ATTR_TRANSACTIONAL, decodeBatchRecords, encodeRecordBatch, readBatchHeader } from '../record-batch.ts'
import type { OffsetCommit } from './group-requests.ts'
import { PendingTxnOffsets } from './pending-txn-offsets.ts'

export const OFFSETS_TOPIC = '__consumer_offsets'
const OFFSETS_PARTITIONS = 8

export interface CommittedOffset {
  readonly offset: number
  readonly metadata: string | null
  readonly commitTimestamp: number
}

type OffsetKey = readonly ['offset', string, string, number]

export class OffsetStore {
  private readonly log: InternalTopicLog
  private partitionCount = OFFSETS_PARTITIONS
  /** group → "topic\0partition" → offset */
  private readonly groups = new Map<string, Map<string, CommittedOffset & { topic: string; partition: number }>>()
  private readonly pending = new PendingTxnOffsets()

  private constructor(log: InternalTopicLog) {
    this.log = log
  }

  static async open(log: InternalTopicLog): Promise<OffsetStore> {
    if (!log.hasTopic(OFFSETS_TOPIC)) {
      await log.createTopic(OFFSETS_TOPIC, {
        partitions: OFFSETS_PARTITIONS,
        'cleanup.policy': 'compact',
        durability: 'fsync',
        'segment.bytes': 16 * 1024 * 1024,
      })
    }
    const store = new OffsetStore(log)
    await store.load()
    return store
  }

  private async load(): Promise<void> {
    const { partitions } = await this.log.describeTopic(OFFSETS_TOPIC)
    this.partitionCount = partitions.length
    for (const { partition, logStartOffset, highWatermark } of partitions) {
      let offset = logStartOffset
      while (offset < highWatermark) {
        const read = await this.log.readBatches(OFFSETS_TOPIC, partition, offset, { maxBytes: 4 * 1024 * 1024 })
        for (const batch of read.batches) {
          this.loadBatch(partition, batch, offset)
          offset = Math.max(offset, readBatchHeader(batch, 0).lastOffset + 1)
        }
        if (read.batches.length === 0) break
      }
    }
  }

  /** One stored batch: a marker decides its producer's pending commits, a transactional one adds some. */
  private loadBatch(partition: number, batch: Buffer, fromOffset: number): void {
    const event = transactionEventOf(batch)
    if (event?.marker !== undefined) {
      this.completeTransaction(partition, event.producerId, event.marker === 'commit')
      return
    }
    const records: StoredRecord[] = []
    decodeBatchRecords(batch, OFFSETS_TOPIC, partition, fromOffset, records)
    const good = records.filter((record) => {
      const reason = storedRecordProblem(record.key, record.value)
      if (reason !== undefined) this.log.reportSkippedRecord({ topic: OFFSETS_TOPIC, partition, offset: record.offset, reason })
      return reason === undefined
    })
    if (event)
      this.pending.add(
        partition,
        event.producerId,
        good.flatMap((r) => pendingRecord(r.key, r.value)),
      )
    else for (const record of good) this.apply(record.key, record.value)
  }

  private apply(key: Buffer | null, value: Buffer | null): void {
    if (key === null) return
    const [kind, group, topic, partition] = JSON.parse(key.toString('utf8')) as OffsetKey
    if (kind !== 'offset') return
    const offsets = this.groups.get(group) ?? new Map()
    const slot = `${topic}\0${partition}`
    if (value === null) offsets.delete(slot)
    else offsets.set(slot, { topic, partition, ...(JSON.parse(value.toString('utf8')) as CommittedOffset) })
    if (offsets.size === 0) this.groups.delete(group)
    else this.groups.set(group, offsets)
  }

  /** Resolves once the commit is durable in the log; only then does fetch() see it. */
  async commit(group: string, commits: readonly OffsetCommit[], nowMs: number): Promise<void> {
    if (commits.length === 0) return
    const partition = this.partitionOf(group)
    const records: LogRecord[] = commits.map((commit) => ({
      key: encodeKey(group, commit.topic, commit.partition),
      value: Buffer.from(JSON.stringify({ offset: commit.offset, metadata: commit.metadata ?? null, commitTimestamp: nowMs })),
      partition,
    }))
    await this.log.append(OFFSETS_TOPIC, records)
    for (const record of records) this.apply(record.key, record.value)
  }

  /**
   * Writes commits made in a producer's transaction, durably, as a transactional batch of that
   * producer; they count only once its COMMIT marker is written (completeTransaction).
   */
  async commitTransactional(
    group: string,
    producer: { producerId: number; producerEpoch: number },
    commits: readonly OffsetCommit[],
    nowMs: number,
  ): Promise<void> {
    if (commits.length === 0) return
    const partition = this.partitionOf(group)
    const records = commits.map((commit) => ({
      key: encodeKey(group, commit.topic, commit.partition),
      value: Buffer.from(JSON.stringify({ offset: commit.offset, metadata: commit.metadata ?? null, commitTimestamp: nowMs })),
    }))
    const batch = encodeRecordBatch(records, 0, { ...producer, baseSequence: -1 }, records.length - 1, nowMs, ATTR_TRANSACTIONAL)
    await this.log.queueBatch(OFFSETS_TOPIC, partition, batch)
    this.pending.add(
      partition,
      producer.producerId,
      records.flatMap((r) => pendingRecord(r.key, r.value)),
    )
  }

  /** The producer's transaction ended in this offsets partition: its commits apply, or are dropped. */
  completeTransaction(partition: number, producerId: number, isCommit: boolean): void {
    const decided = this.pending.take(partition, producerId)
    if (isCommit) for (const record of decided) this.apply(record.key, record.value)
  }

  /** True while a transaction's commit for the partition waits for its outcome. */
  hasPendingCommit(group: string, topic: string, partition: number): boolean {
    return this.pending.isPending(group, topic, partition)
  }

  fetch(
    group: string,
    partitions?: readonly { topic: string; partition: number }[],
  ): Array<{ topic: string; partition: number } & CommittedOffset> {
    const offsets = this.groups.get(group)
    if (!offsets) return []
    if (!partitions) return [...offsets.values()]
    return partitions.flatMap(({ topic, partition }) => offsets.get(`${topic}\0${partition}`) ?? [])
  }

  groupsWithOffsets(): string[] {
    return [...this.groups.keys()]
  }

  /** Tombstones every offset of a group (Kafka's DeleteGroups). */
  async deleteGroup(group: string): Promise<void> {
    const offsets = this.groups.get(group)
    if (!offsets) return
    const partition = this.partitionOf(group)
    const records: LogRecord[] = [...offsets.values()].map((o) => ({ key: encodeKey(group, o.topic, o.partition), value: null, partition }))
    await this.log.append(OFFSETS_TOPIC, records)
    for (const record of records) this.apply(record.key, record.value)
  }

  /** Tombstones the offsets of some partitions of a group (Kafka's OffsetDelete). */
  async deleteOffsets(group: string, partitions: readonly { topic: string; partition: number }[]): Promise<void> {
    const present = this.fetch(group, partitions)
    if (present.length === 0) return
    const partition = this.partitionOf(group)
    const records: LogRecord[] = present.map((o) => ({ key: encodeKey(group, o.topic, o.partition), value: null, partition }))
    await this.log.append(OFFSETS_TOPIC, records)
    for (const record of records) this.apply(record.key, record.value)
  }

  /** The `__consumer_offsets` partition the group's commits go to. */
  partitionOf(group: string): number {
    return partitionForKey(Buffer.from(group, 'utf8'), this.partitionCount)
  }
}

function pendingRecord(
  key: Buffer | null,
  value: Buffer | null,
): Array<{ key: Buffer; value: Buffer | null; group: string; topic: string; partition: number }> {
  if (key === null) return []
  const [kind, group, topic, partition] = JSON.parse(key.toString('utf8')) as OffsetKey
  return kind === 'offset' ? [{ key, value, group, topic, partition }] : []
}

function encodeKey(group: string, topic: string, partition: number): Buffer {
  const key: OffsetKey = ['offset', group, topic, partition]
  return Buffer.from(JSON.stringify(key))
}

/** Why a stored record is not an offset commit (or its tombstone), or undefined when it is one. */
function storedRecordProblem(key: Buffer | null, value: Buffer | null): string | undefined {
  if (key === null) return undefined
  let parsedKey: unknown
  let parsedValue: unknown
  try {
    parsedKey = JSON.parse(key.toString('utf8'))
    parsedValue = value === null ? null : JSON.parse(value.toString('utf8'))
  } catch {
    return 'the key or value is not JSON' // the parser's message would quote the text
  }
  if (!Array.isArray(parsedKey)) return 'the key is not an array'
  if (parsedKey[0] !== 'offset') return undefined // another kind of record, left alone as before
  const [, group, topic, partition] = parsedKey as unknown[]
  if (typeof group !== 'string' || typeof topic !== 'string' || !Number.isInteger(partition))
    return 'the key is not ["offset", group, topic, partition]'
  if (value === null) return undefined
  const commit = parsedValue as Partial<Record<keyof CommittedOffset, unknown>> | null
  if (
    commit === null ||
    typeof commit !== 'object' ||
    !Number.isInteger(commit.offset) ||
    typeof commit.commitTimestamp !== 'number' ||
    !(commit.metadata === null || typeof commit.metadata === 'string')
  ) {
    return 'the value is not { offset, metadata, commitTimestamp }'
  }
  return undefined
}
