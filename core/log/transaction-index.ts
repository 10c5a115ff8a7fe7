/**
 * Aborted transactions of one segment, in Kafka's `.txnindex` layout: one 34-byte entry per ABORT
 * marker the segment holds, in marker order. A read_committed fetch needs the aborted transactions
 * overlapping the range it returns, and finding them by scanning batches would cost a read of the
 * log; the index answers from memory and is written beside the segment when it closes.
 *
 * Entry => version:int16 (0) producerId:int64 firstOffset:int64 lastOffset:int64 lastStableOffset:int64
 * lastOffset is the marker's offset; lastStableOffset is the partition's LSO right after the marker,
 * which is what lets a search stop early: once an entry's LSO has passed the end of the fetched range,
 * every transaction that began inside it has ended by that marker.
 */
import { readInt64, writeInt64 } from './record-batch.ts'

export const TXN_INDEX_ENTRY_BYTES = 34

export interface AbortedTxn {
  readonly producerId: number
  readonly firstOffset: number
  readonly lastOffset: number
  readonly lastStableOffset: number
}

/** What a Fetch response lists for each aborted transaction. */
export interface AbortedTransaction {
  readonly producerId: number
  readonly firstOffset: number
}

export class TransactionIndex {
  private entries: AbortedTxn[]

  constructor(entries: AbortedTxn[] = []) {
    this.entries = entries
  }

  get all(): readonly AbortedTxn[] {
    return this.entries
  }

  append(entry: AbortedTxn): void {
    this.entries.push(entry)
  }

  /**
   * Adds the entries overlapping [fetchOffset, upperBound) to `out`; true when no later segment can
   * hold another one (an entry's LSO reached upperBound).
   */
  collect(fetchOffset: number, upperBound: number, out: AbortedTxn[]): boolean {
    for (const entry of this.entries) {
      if (entry.lastOffset >= fetchOffset && entry.firstOffset < upperBound) out.push(entry)
      if (entry.lastStableOffset >= upperBound) return true
    }
    return false
  }

  serialize(): Buffer {
    const buf = Buffer.alloc(this.entries.length * TXN_INDEX_ENTRY_BYTES)
    this.entries.forEach((entry, i) => {
      const at = i * TXN_INDEX_ENTRY_BYTES
      buf.writeInt16BE(0, at)
      writeInt64(buf, at + 2, entry.producerId)
      writeInt64(buf, at + 10, entry.firstOffset)
      writeInt64(buf, at + 18, entry.lastOffset)
      writeInt64(buf, at + 26, entry.lastStableOffset)
    })
    return buf
  }

  /** The index a file holds, or undefined when it is not whole entries of version 0. */
  static deserialize(buf: Buffer): TransactionIndex | undefined {
    if (buf.length % TXN_INDEX_ENTRY_BYTES !== 0) return undefined
    const entries: AbortedTxn[] = []
    for (let at = 0; at < buf.length; at += TXN_INDEX_ENTRY_BYTES) {
      if (buf.readInt16BE(at) !== 0) return undefined
      entries.push({
        producerId: readInt64(buf, at + 2),
        firstOffset: readInt64(buf, at + 10),
        lastOffset: readInt64(buf, at + 18),
        lastStableOffset: readInt64(buf, at + 26),
      })
    }
    return new TransactionIndex(entries)
  }
}
