/**
 * Sparse time index of one segment: (largest timestamp so far, offset of the batch that raised it)
 * pairs, ascending in both, so "first offset with timestamp >= t" starts its scan close to the answer.
 * Written to `<base>.timeindex` as 12-byte entries (int64 timestamp, uint32 relative offset).
 */
export const TIME_INDEX_ENTRY_BYTES = 12

export class TimeIndex {
  private timestamps: Float64Array
  private offsets: Float64Array
  private count = 0

  constructor(capacity = 64) {
    this.timestamps = new Float64Array(capacity)
    this.offsets = new Float64Array(capacity)
  }

  get entries(): number {
    return this.count
  }

  get lastTimestamp(): number {
    return this.count === 0 ? -1 : this.timestamps[this.count - 1]!
  }

  /** Adds an entry when `timestamp` is larger than every one before it. */
  maybeAppend(timestamp: number, offset: number): void {
    if (this.count > 0 && timestamp <= this.timestamps[this.count - 1]!) return
    if (this.count === this.timestamps.length) this.grow()
    this.timestamps[this.count] = timestamp
    this.offsets[this.count] = offset
    this.count++
  }

  /**
   * An offset from which a forward scan finds the first record with timestamp >= `timestamp`:
   * the offset of the entry before the first entry reaching it (or `fallback` when none is before).
   */
  scanStart(timestamp: number, fallback: number): number {
    let low = 0
    let high = this.count - 1
    let found = fallback
    while (low <= high) {
      const mid = (low + high) >>> 1
      if (this.timestamps[mid]! < timestamp) {
        found = this.offsets[mid]!
        low = mid + 1
      } else {
        high = mid - 1
      }
    }
    return found
  }

  truncateToOffset(offset: number): void {
    while (this.count > 0 && this.offsets[this.count - 1]! >= offset) this.count--
  }

  serialize(baseOffset: number): Buffer {
    const buf = Buffer.allocUnsafe(this.count * TIME_INDEX_ENTRY_BYTES)
    for (let i = 0; i < this.count; i++) {
      const at = i * TIME_INDEX_ENTRY_BYTES
      buf.writeBigInt64BE(BigInt(this.timestamps[i]!), at)
      buf.writeUInt32BE(this.offsets[i]! - baseOffset, at + 8)
    }
    return buf
  }

  static deserialize(buf: Buffer, baseOffset: number, nextOffset: number): TimeIndex | undefined {
    if (buf.length % TIME_INDEX_ENTRY_BYTES !== 0) return undefined
    const count = buf.length / TIME_INDEX_ENTRY_BYTES
    const index = new TimeIndex(Math.max(count, 16))
    for (let i = 0; i < count; i++) {
      const at = i * TIME_INDEX_ENTRY_BYTES
      const timestamp = Number(buf.readBigInt64BE(at))
      const offset = baseOffset + buf.readUInt32BE(at + 8)
      if (timestamp <= index.lastTimestamp || offset >= nextOffset) return undefined
      index.maybeAppend(timestamp, offset)
    }
    return index
  }

  private grow(): void {
    const timestamps = new Float64Array(this.timestamps.length * 2)
    const offsets = new Float64Array(this.offsets.length * 2)
    timestamps.set(this.timestamps)
    offsets.set(this.offsets)
    this.timestamps = timestamps
    this.offsets = offsets
  }
}
