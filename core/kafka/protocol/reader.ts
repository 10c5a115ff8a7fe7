/**
 * A read cursor over one Kafka request or response body. A reader is made for one message version:
 * in flexible versions (KIP-482) strings, bytes and arrays are "compact" (unsigned-varint length + 1)
 * and structs end in tagged fields, so the codecs call string()/array() and the reader picks the form.
 * Every overrun throws TRB_PROTOCOL_FRAME, which closes only the connection that sent it.
 */
import { TributaryError } from '../../errors.ts'
import { readInt64 } from '../../log/record-batch.ts'

export class KafkaReader {
  readonly buf: Buffer
  readonly flexible: boolean
  pos: number

  constructor(buf: Buffer, flexible = false, pos = 0) {
    this.buf = buf
    this.flexible = flexible
    this.pos = pos
  }

  get remaining(): number {
    return this.buf.length - this.pos
  }

  /** The same bytes and position, read as another version's layout. */
  withFlexible(flexible: boolean): KafkaReader {
    return new KafkaReader(this.buf, flexible, this.pos)
  }

  int8(): number {
    this.need(1)
    return this.buf.readInt8(this.pos++)
  }

  bool(): boolean {
    return this.int8() !== 0
  }

  int16(): number {
    this.need(2)
    const value = this.buf.readInt16BE(this.pos)
    this.pos += 2
    return value
  }

  int32(): number {
    this.need(4)
    const value = this.buf.readInt32BE(this.pos)
    this.pos += 4
    return value
  }

  /** int64 as a number: exact for offsets, timestamps and producer ids below 2^53. */
  int64(): number {
    this.need(8)
    const value = readInt64(this.buf, this.pos)
    this.pos += 8
    return value
  }

  uuid(): Buffer {
    this.need(16)
    const value = this.buf.subarray(this.pos, this.pos + 16)
    this.pos += 16
    return value
  }

  unsignedVarint(): number {
    let result = 0
    let multiplier = 1
    for (let i = 0; i < 5; i++) {
      this.need(1)
      const byte = this.buf[this.pos++]!
      result += (byte & 0x7f) * multiplier
      if (byte < 0x80) return result
      multiplier *= 128
    }
    throw malformed('unsigned varint longer than 5 bytes')
  }

  string(): string {
    const value = this.nullableString()
    if (value === null) throw malformed('null where a string is required')
    return value
  }

  nullableString(): string | null {
    const length = this.flexible ? this.unsignedVarint() - 1 : this.int16()
    return this.stringOfLength(length)
  }

  /** The request header's client id: an int16-length string even in flexible versions. */
  legacyNullableString(): string | null {
    return this.stringOfLength(this.int16())
  }

  bytes(): Buffer {
    const value = this.nullableBytes()
    if (value === null) throw malformed('null where bytes are required')
    return value
  }

  /** A view into the frame, not a copy. */
  nullableBytes(): Buffer | null {
    const length = this.flexible ? this.unsignedVarint() - 1 : this.int32()
    if (length < 0) return this.nullLength(length)
    this.need(length)
    const value = this.buf.subarray(this.pos, this.pos + length)
    this.pos += length
    return value
  }

  array<T>(item: (reader: KafkaReader) => T): T[] {
    const value = this.nullableArray(item)
    if (value === null) throw malformed('null where an array is required')
    return value
  }

  nullableArray<T>(item: (reader: KafkaReader) => T): T[] | null {
    const length = this.flexible ? this.unsignedVarint() - 1 : this.int32()
    if (length < 0) return this.nullLength(length)
    // Each element takes at least one byte, so a length beyond the bytes left is a lie.
    if (length > this.remaining) throw malformed(`array of ${length} elements in ${this.remaining} bytes`)
    const out: T[] = new Array(length)
    for (let i = 0; i < length; i++) out[i] = item(this)
    return out
  }

  /**
   * A struct's tagged fields (flexible versions only). Known tags go to `onTag` with a reader over
   * just their bytes; unknown ones are skipped, as the protocol requires.
   */
  taggedFields(onTag?: (tag: number, field: KafkaReader) => void): void {
    if (!this.flexible) return
    const count = this.unsignedVarint()
    for (let i = 0; i < count; i++) {
      const tag = this.unsignedVarint()
      const size = this.unsignedVarint()
      this.need(size)
      if (onTag) onTag(tag, new KafkaReader(this.buf.subarray(this.pos, this.pos + size), true))
      this.pos += size
    }
  }

  private stringOfLength(length: number): string | null {
    if (length < 0) return this.nullLength(length)
    this.need(length)
    const value = this.buf.toString('utf8', this.pos, this.pos + length)
    this.pos += length
    return value
  }

  private nullLength(length: number): null {
    if (length !== -1) throw malformed(`invalid length ${length}`)
    return null
  }

  private need(bytes: number): void {
    if (this.pos + bytes > this.buf.length) throw malformed(`needs ${bytes} more bytes, ${this.buf.length - this.pos} left`)
  }
}

export function malformed(problem: string): TributaryError {
  return new TributaryError('TRB_PROTOCOL_FRAME', `malformed Kafka message: ${problem}`, { details: { problem } })
}
