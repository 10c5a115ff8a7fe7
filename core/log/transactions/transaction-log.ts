/**
 * The transaction coordinator's durable memory, kept where Kafka keeps it: the compacted topic
 * `__transaction_state`, one record per transactional id (its producer id, epoch, timeout, state and
 * the partitions of its open transaction), the newest winning, so every state survives a crash once
 * written. Producer ids are handed out in blocks whose end is stored here too, before any id of the
 * block is given out, so no id is handed out twice across restarts.
 *
 *   key ["txn", transactionalId]  value TransactionMetadata (JSON)
 *   key ["producer-ids"]          value { "blockEnd": first id not yet reserved }
 *
 * A record on open that is not of this shape is reported and skipped, as the offset store does.
 */
import type { InternalTopicLog } from '../internal-topic-log.ts'
import { partitionForKey } from '../partitioner.ts'
import { TxnState, type TransactionMetadata } from './transaction-state.ts'

export const TRANSACTION_STATE_TOPIC = '__transaction_state'
const TRANSACTION_STATE_PARTITIONS = 8
const PRODUCER_IDS_KEY = Buffer.from(JSON.stringify(['producer-ids']))
const PRODUCER_ID_BLOCK = 1000
const STATES: ReadonlySet<string> = new Set(Object.values(TxnState))

export class TransactionLog {
  private readonly log: InternalTopicLog
  private partitionCount = TRANSACTION_STATE_PARTITIONS
  /** The newest stored metadata of every transactional id, as loaded. */
  readonly loaded = new Map<string, TransactionMetadata>()
  private nextProducerId = 0
  private blockEnd = 0
  private reserving: Promise<void> | undefined

  private constructor(log: InternalTopicLog) {
    this.log = log
  }

  static async open(log: InternalTopicLog): Promise<TransactionLog> {
    if (!log.hasTopic(TRANSACTION_STATE_TOPIC)) {
      await log.createTopic(TRANSACTION_STATE_TOPIC, {
        partitions: TRANSACTION_STATE_PARTITIONS,
        'cleanup.policy': 'compact',
        durability: 'fsync',
        'segment.bytes': 16 * 1024 * 1024,
      })
    }
    const store = new TransactionLog(log)
    await store.load()
    return store
  }

  private async load(): Promise<void> {
    const { partitions } = await this.log.describeTopic(TRANSACTION_STATE_TOPIC)
    this.partitionCount = partitions.length
    for (const { partition, logStartOffset, highWatermark } of partitions) {
      for (let offset = logStartOffset; offset < highWatermark; ) {
        const read = await this.log.read(TRANSACTION_STATE_TOPIC, partition, offset, { maxBytes: 4 * 1024 * 1024 })
        for (const record of read.records) {
          const reason = this.apply(record.key, record.value)
          if (reason !== undefined)
            this.log.reportSkippedRecord({ topic: TRANSACTION_STATE_TOPIC, partition, offset: record.offset, reason })
        }
        if (read.nextOffset <= offset) break
        offset = read.nextOffset
      }
    }
    // Ids of the last block may have been handed out before the crash: start after it.
    this.nextProducerId = this.blockEnd
  }

  /** Takes a stored record in; returns why it is not one of ours, or undefined. */
  private apply(key: Buffer | null, value: Buffer | null): string | undefined {
    let parsedKey: unknown
    let parsedValue: unknown
    try {
      parsedKey = key === null ? null : JSON.parse(key.toString('utf8'))
      parsedValue = value === null ? null : JSON.parse(value.toString('utf8'))
    } catch {
      return 'the key or value is not JSON'
    }
    if (!Array.isArray(parsedKey)) return 'the key is not an array'
    if (parsedKey[0] === 'producer-ids') {
      const blockEnd = (parsedValue as { blockEnd?: unknown } | null)?.blockEnd
      if (!Number.isSafeInteger(blockEnd)) return 'the value is not { blockEnd }'
      this.blockEnd = Math.max(this.blockEnd, blockEnd as number)
      return undefined
    }
    const [kind, transactionalId] = parsedKey as unknown[]
    if (kind !== 'txn' || typeof transactionalId !== 'string') return 'the key is not ["txn", transactionalId]'
    if (parsedValue === null) {
      this.loaded.delete(transactionalId)
      return undefined
    }
    if (!isMetadata(parsedValue, transactionalId)) return "the value is not a transaction's metadata"
    this.loaded.set(transactionalId, parsedValue)
    return undefined
  }

  /** Resolves once the metadata is durable. */
  write(metadata: TransactionMetadata): Promise<void> {
    return this.put(metadata.transactionalId, Buffer.from(JSON.stringify(metadata)))
  }

  /** Tombstones the transactional id (durably); compaction then forgets it. */
  remove(transactionalId: string): Promise<void> {
    return this.put(transactionalId, null)
  }

  private async put(transactionalId: string, value: Buffer | null): Promise<void> {
    const key = Buffer.from(JSON.stringify(['txn', transactionalId]))
    const partition = partitionForKey(Buffer.from(transactionalId, 'utf8'), this.partitionCount)
    await this.log.append(TRANSACTION_STATE_TOPIC, [{ key, value, partition }])
  }

  /** A producer id never handed out before, in this run or any earlier one. */
  async allocateProducerId(): Promise<number> {
    while (this.nextProducerId >= this.blockEnd) {
      this.reserving ??= this.reserveBlock().finally(() => (this.reserving = undefined))
      await this.reserving
    }
    return this.nextProducerId++
  }

  private async reserveBlock(): Promise<void> {
    const blockEnd = this.blockEnd + PRODUCER_ID_BLOCK
    await this.log.append(TRANSACTION_STATE_TOPIC, [
      { key: PRODUCER_IDS_KEY, value: Buffer.from(JSON.stringify({ blockEnd })), partition: 0 },
    ])
    this.blockEnd = blockEnd
  }
}

function isMetadata(value: unknown, transactionalId: string): value is TransactionMetadata {
  const m = value as Partial<Record<keyof TransactionMetadata, unknown>> | null
  return (
    m !== null &&
    typeof m === 'object' &&
    m.transactionalId === transactionalId &&
    Number.isSafeInteger(m.producerId) &&
    Number.isInteger(m.producerEpoch) &&
    Number.isInteger(m.lastProducerEpoch) &&
    Number.isInteger(m.timeoutMs) &&
    typeof m.state === 'string' &&
    STATES.has(m.state) &&
    Array.isArray(m.partitions) &&
    m.partitions.every(
      (tp: unknown) => typeof (tp as { topic?: unknown }).topic === 'string' && Number.isInteger((tp as { partition?: unknown }).partition),
    ) &&
    typeof m.txnStartTimestamp === 'number' &&
    typeof m.lastUpdateTimestamp === 'number'
  )
}
