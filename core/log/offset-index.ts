/**
 * Sparse offset index of one segment: (offset relative to the segment's base, byte position) pairs,
 * one every `index.interval.bytes`, ascending in both. Kept in memory; written to `<base>.index` as
 * 8-byte big-endian pairs when the segment closes, so a restart need not rescan closed segments.
 */
export const OFFSET_INDEX_ENTRY_BYTES = 8

export class OffsetIndex {
  private relativeOffsets: Uint32Array
  private positions: Uint32Array
  private count = 0

  constructor(capacity = 64) {
    this.relativeOffsets = new Uint32Array(capacity)
    this.positions = new Uint32Array(capacity)
  }

  get entries(): number {
    return this.count
  }

  append(relativeOffset: number, position: number): void {
    if (this.count === this.positions.length) this.grow()
    this.relativeOffsets[this.count] = relativeOffset
    this.positions[this.count] = position
    this.count++
  }

  /** Byte position of the last indexed batch starting at or before `relativeOffset` (0 if none). */
  floorPosition(relativeOffset: number): number {
    let low = 0
    let high = this.count - 1
    let found = 0
    while (low <= high) {
      const mid = (low + high) >>> 1
      if (this.relativeOffsets[mid]! <= relativeOffset) {
        found = this.positions[mid]!
        low = mid + 1
      } else {
        high = mid - 1
      }
    }
    return found
  }

  /** Forgets entries at or past `position` (after a truncation). */
  truncateToPosition(position: number): void {
    while (this.count > 0 && this.positions[this.count - 1]! >= position) this.count--
  }

  serialize(): Buffer {
    const buf = Buffer.allocUnsafe(this.count * OFFSET_INDEX_ENTRY_BYTES)
    for (let i = 0; i < this.count; i++) {
      buf.writeUInt32BE(this.relativeOffsets[i]!, i * OFFSET_INDEX_ENTRY_BYTES)
      buf.writeUInt32BE(this.positions[i]!, i * OFFSET_INDEX_ENTRY_BYTES + 4)
    }
    return buf
  }

  /** Parses a stored index, or returns undefined when it cannot belong to a log of `logSize` bytes. */
  static deserialize(buf: Buffer, logSize: number): OffsetIndex | undefined {
    if (buf.length % OFFSET_INDEX_ENTRY_BYTES !== 0) return undefined
    const count = buf.length / OFFSET_INDEX_ENTRY_BYTES
    const index = new OffsetIndex(Math.max(count, 16))
    for (let i = 0; i < count; i++) {
      const relativeOffset = buf.readUInt32BE(i * OFFSET_INDEX_ENTRY_BYTES)
      const position = buf.readUInt32BE(i * OFFSET_INDEX_ENTRY_BYTES + 4)
      const previous = index.count > 0 ? index.positions[index.count - 1]! : -1
      const previousOffset = index.count > 0 ? index.relativeOffsets[index.count - 1]! : -1
      if (position <= previous || relativeOffset <= previousOffset || position >= logSize) return undefined
      index.append(relativeOffset, position)
    }
    return index
  }

  private grow(): void {
    const relativeOffsets = new Uint32Array(this.relativeOffsets.length * 2)
    const positions = new Uint32Array(this.positions.length * 2)
    relativeOffsets.set(this.relativeOffsets)
    positions.set(this.positions)
    this.relativeOffsets = relativeOffsets
    this.positions = positions
  }
}
