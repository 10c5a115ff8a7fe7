/**
 * Builds one Kafka response or request body. Like the reader it is made for one version and writes
 * compact forms and tagged fields in flexible versions. Large byte fields (record batches in a fetch)
 * are not copied: rawChunk() ends the current piece and queues the caller's buffer as its own, so a
 * fetch sends stored batches as they are. chunks() returns the pieces to write to a socket in order.
 */
import { writeInt64 } from '../../log/record-batch.ts'

const INITIAL_BYTES = 1024
/** Below this a buffer is copied into the scratch piece; above it, queued as a chunk of its own. */
const COPY_LIMIT = 4096

export class KafkaWriter {
  readonly flexible: boolean
  private scratch: Buffer
  private pos = 0
  private pieceStart = 0
  private readonly pieces: Buffer[] = []
  private total = 0

  constructor(flexible = false, initialBytes = INITIAL_BYTES) {
    this.flexible = flexible
    this.scratch = Buffer.allocUnsafe(initialBytes)
  }

  /** Bytes written so far. */
  get length(): number {
    return this.total + (this.pos - this.pieceStart)
  }

  int8(value: number): this {
    this.ensure(1)
    this.scratch.writeInt8(value, this.pos)
    this.pos += 1
    return this
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0)
  }

  int16(value: number): this {
    this.ensure(2)
    this.scratch.writeInt16BE(value, this.pos)
    this.pos += 2
    return this
  }

  int32(value: number): this {
    this.ensure(4)
    this.scratch.writeInt32BE(value, this.pos)
    this.pos += 4
    return this
  }

  uint32(value: number): this {
    this.ensure(4)
    this.scratch.writeUInt32BE(value, this.pos)
    this.pos += 4
    return this
  }

  int64(value: number): this {
    this.ensure(8)
    writeInt64(this.scratch, this.pos, value)
    this.pos += 8
    return this
  }

  float64(value: number): this {
    this.ensure(8)
    this.scratch.writeDoubleBE(value, this.pos)
    this.pos += 8
    return this
  }

  uuid(value: Buffer): this {
    return this.copy(value.subarray(0, 16))
  }

  unsignedVarint(value: number): this {
    this.ensure(5)
    let v = value
    while (v >= 0x80) {
      this.scratch[this.pos++] = (v % 128) | 0x80
      v = Math.floor(v / 128)
    }
    this.scratch[this.pos++] = v
    return this
  }

  string(value: string): this {
    return this.nullableString(value)
  }

  nullableString(value: string | null): this {
    if (value === null) return this.flexible ? this.unsignedVarint(0) : this.int16(-1)
    const length = Buffer.byteLength(value)
    if (this.flexible) this.unsignedVarint(length + 1)
    else this.int16(length)
    this.ensure(length)
    this.pos += this.scratch.write(value, this.pos, 'utf8')
    return this
  }

  /** The request header's client id: an int16-length string even in flexible versions. */
  legacyNullableString(value: string | null): this {
    if (value === null) return this.int16(-1)
    const length = Buffer.byteLength(value)
    this.int16(length)
    this.ensure(length)
    this.pos += this.scratch.write(value, this.pos, 'utf8')
    return this
  }

  bytes(value: Buffer): this {
    return this.nullableBytes(value)
  }

  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.flexible ? this.unsignedVarint(0) : this.int32(-1)
    if (this.flexible) this.unsignedVarint(value.length + 1)
    else this.int32(value.length)
    return this.raw(value)
  }

  /** Several buffers written as one bytes field (a fetch's record batches), without joining them. */
  concatenatedBytes(parts: readonly Buffer[]): this {
    let length = 0
    for (const part of parts) length += part.length
    if (this.flexible) this.unsignedVarint(length + 1)
    else this.int32(length)
    for (const part of parts) this.raw(part)
    return this
  }

  array<T>(items: readonly T[], write: (writer: this, item: T) => void): this {
    return this.nullableArray(items, write)
  }

  nullableArray<T>(items: readonly T[] | null, write: (writer: this, item: T) => void): this {
    if (items === null) return this.flexible ? this.unsignedVarint(0) : this.int32(-1)
    if (this.flexible) this.unsignedVarint(items.length + 1)
    else this.int32(items.length)
    for (const item of items) write(this, item)
    return this
  }

  /** A struct's tagged fields (flexible versions only); `fields` are [tag, body] in ascending tag order. */
  taggedFields(fields: ReadonlyArray<readonly [number, (writer: KafkaWriter) => void]> = []): this {
    if (!this.flexible) return this
    this.unsignedVarint(fields.length)
    for (const [tag, body] of fields) {
      const field = new KafkaWriter(true, 64)
      body(field)
      this.unsignedVarint(tag)
      this.unsignedVarint(field.length)
      for (const piece of field.chunks()) this.raw(piece)
    }
    return this
  }

  /** Bytes as they are, with no length prefix. */
  raw(value: Buffer): this {
    if (value.length <= COPY_LIMIT) return this.copy(value)
    this.endPiece()
    this.pieces.push(value)
    this.total += value.length
    return this
  }

  /** The message as pieces to write in order. The writer must not be used afterwards. */
  chunks(): Buffer[] {
    this.endPiece()
    return this.pieces
  }

  toBuffer(): Buffer {
    const pieces = this.chunks()
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces)
  }

  private copy(value: Buffer): this {
    this.ensure(value.length)
    this.scratch.set(value, this.pos)
    this.pos += value.length
    return this
  }

  private endPiece(): void {
    if (this.pos > this.pieceStart) {
      this.pieces.push(this.scratch.subarray(this.pieceStart, this.pos))
      this.total += this.pos - this.pieceStart
    }
    this.pieceStart = this.pos
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.scratch.length) return
    // Pieces already queued keep their views into the old scratch buffer, so start a new one.
    this.endPiece()
    this.scratch = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, bytes))
    this.pos = 0
    this.pieceStart = 0
  }
}
