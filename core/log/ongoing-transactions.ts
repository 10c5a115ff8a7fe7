/**
 * The transactions open in one partition, as its leader sees them: a producer's first transactional
 * data batch opens its transaction at that batch's base offset, and its COMMIT or ABORT marker closes
 * it. The last stable offset (LSO) is the first offset a read_committed reader may not pass: the
 * first offset of the oldest transaction still undecided. A transaction decided by a marker that
 * readers cannot see yet still counts as undecided, so the LSO never runs ahead of a marker a crash
 * could lose (Kafka keeps such transactions as "unreplicated" until the high watermark passes them).
 *
 * Per producer this is a two-state machine, NoTransaction -> Open(firstOffset) -> NoTransaction; a
 * marker for a producer with no open transaction changes nothing (there is nothing of it to skip).
 *
 * The open transactions at a segment's base are stored beside it as `<base>.txnsnapshot` (Kafka keeps
 * them in its producer snapshots), so a restart rebuilds the state by replaying one segment:
 * snapshot => version:int16 (0) count:int32 [producerId:int64 firstOffset:int64]
 */
import { TributaryError } from '../errors.ts'
import { ControlRecordType, readEndTxnMarker } from './control-record.ts'
import { BatchField, isControlBatch, isTransactionalBatch, readInt64, writeInt64 } from './record-batch.ts'
import type { AbortedTxn } from './transaction-index.ts'

/** What a batch means to the transaction state; undefined for a batch outside any transaction. */
export type TxnEvent =
  | { readonly producerId: number; readonly marker?: undefined }
  | { readonly producerId: number; readonly marker: 'commit' | 'abort' }

export function transactionEventOf(batch: Buffer, pos = 0): TxnEvent | undefined {
  // Every append asks: a plain batch is answered from its attributes alone.
  const attributes = batch.readInt16BE(pos + BatchField.attributes)
  if (!isTransactionalBatch(attributes) && !isControlBatch(attributes)) return undefined
  const producerId = readInt64(batch, pos + BatchField.producerId)
  if (!isControlBatch(attributes)) return { producerId }
  const marker = readEndTxnMarker(batch, pos)
  if (!marker) return undefined
  return { producerId, marker: marker.type === ControlRecordType.Abort ? 'abort' : 'commit' }
}

const SNAPSHOT_HEADER_BYTES = 6
const SNAPSHOT_ENTRY_BYTES = 16

export class OngoingTransactions {
  /** Producer id to the first offset of its open transaction, in the order they opened. */
  private readonly open = new Map<number, number>()
  /** Transactions closed by a marker at or past the high watermark: still unstable to readers. */
  private unpublished: Array<{ readonly firstOffset: number; readonly lastOffset: number }> = []

  /** Open transactions, producer id to first offset. */
  get openTransactions(): ReadonlyMap<number, number> {
    return this.open
  }

  /**
   * Applies the batch at [baseOffset, lastOffset]; returns the aborted-transaction entry when the
   * batch is an ABORT marker that closed an open transaction.
   */
  apply(event: TxnEvent, baseOffset: number, lastOffset: number): AbortedTxn | undefined {
    const { producerId } = event
    if (event.marker === undefined) {
      if (!this.open.has(producerId)) this.open.set(producerId, baseOffset)
      return undefined
    }
    const firstOffset = this.open.get(producerId)
    if (firstOffset === undefined) return undefined
    this.open.delete(producerId)
    this.unpublished.push({ firstOffset, lastOffset })
    if (event.marker === 'commit') return undefined
    return { producerId, firstOffset, lastOffset, lastStableOffset: this.firstOpenOffset() ?? lastOffset + 1 }
  }

  /** Readers now see everything below `highWatermark`: decided transactions there are stable. */
  published(highWatermark: number): void {
    if (this.unpublished.length > 0) this.unpublished = this.unpublished.filter((txn) => txn.lastOffset >= highWatermark)
  }

  lastStableOffset(highWatermark: number): number {
    let lso = highWatermark
    for (const txn of this.unpublished) if (txn.lastOffset >= highWatermark) lso = Math.min(lso, txn.firstOffset)
    return Math.min(lso, this.firstOpenOffset() ?? lso)
  }

  private firstOpenOffset(): number | undefined {
    let first: number | undefined
    for (const offset of this.open.values()) if (first === undefined || offset < first) first = offset
    return first
  }

  serialize(): Buffer {
    const buf = Buffer.alloc(SNAPSHOT_HEADER_BYTES + this.open.size * SNAPSHOT_ENTRY_BYTES)
    buf.writeInt16BE(0, 0)
    buf.writeInt32BE(this.open.size, 2)
    let at = SNAPSHOT_HEADER_BYTES
    for (const [producerId, firstOffset] of this.open) {
      writeInt64(buf, at, producerId)
      writeInt64(buf, at + 8, firstOffset)
      at += SNAPSHOT_ENTRY_BYTES
    }
    return buf
  }

  static deserialize(buf: Buffer): OngoingTransactions {
    const count = buf.length >= SNAPSHOT_HEADER_BYTES ? buf.readInt32BE(2) : -1
    if (count < 0 || buf.readInt16BE(0) !== 0 || buf.length !== SNAPSHOT_HEADER_BYTES + count * SNAPSHOT_ENTRY_BYTES) {
      throw new TributaryError('TRB_LOG_CORRUPT', `transaction snapshot of ${buf.length} bytes is malformed`)
    }
    const state = new OngoingTransactions()
    const entries: Array<[number, number]> = []
    for (let i = 0; i < count; i++) {
      const at = SNAPSHOT_HEADER_BYTES + i * SNAPSHOT_ENTRY_BYTES
      entries.push([readInt64(buf, at), readInt64(buf, at + 8)])
    }
    for (const [producerId, firstOffset] of entries.sort((a, b) => a[1] - b[1])) state.open.set(producerId, firstOffset)
    return state
  }
}
