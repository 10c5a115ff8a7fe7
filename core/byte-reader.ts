/**
 * The one read cursor over binary formats: big-endian integers, varints, and strings and bytes of a
 * given length. Each format adds only its own rules on top: the Kafka protocol its length-prefixed
 * and compact fields (kafka/protocol/reader.ts), the log its record batches (log/record-batch.ts),
 * consumer groups their protocol payloads, connectors their drivers' wire formats (pgoutput).
 *
 * It sits at the bottom of core and imports nothing, so every layer may use it: the log, which knows
 * nothing above it, the Kafka codecs, and connectors, which get it through the plugin API.
 *
 * A class so the hot decode loops (record batches, pgoutput) stay monomorphic; each read checks its
 * bounds once, against `end`, and the integers of up to 32 bits are put together from the bytes
 * rather than read again through Buffer's own checked readers. An overrun throws what `fail`
 * returns: a RangeError here, a format's own error in a subclass (the Kafka reader's closes only the
 * connection that sent the frame).
 */
export class ByteReader {
  readonly buf: Buffer
  pos: number
  readonly end: number

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf
    this.pos = pos
    this.end = end
  }

  get remaining(): number {
    return this.end - this.pos
  }

  uint8(): number {
    if (this.pos >= this.end) throw this.overrun(1)
    return this.buf[this.pos++]!
  }

  int8(): number {
    return (this.uint8() << 24) >> 24
  }

  int16(): number {
    const { buf, pos } = this
    if (pos + 2 > this.end) throw this.overrun(2)
    this.pos = pos + 2
    return ((buf[pos]! << 24) | (buf[pos + 1]! << 16)) >> 16
  }

  int32(): number {
    const { buf, pos } = this
    if (pos + 4 > this.end) throw this.overrun(4)
    this.pos = pos + 4
    return (buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!
  }

  uint32(): number {
    return this.int32() >>> 0
  }

  /** int64 as a number: exact for offsets, timestamps and producer ids below 2^53. */
  int64(): number {
    const high = this.int32()
    return high * 0x1_0000_0000 + this.uint32()
  }

  /** uint64 as a bigint, every value exact (a PostgreSQL LSN). */
  bigUint64(): bigint {
    const { pos } = this
    if (pos + 8 > this.end) throw this.overrun(8)
    this.pos = pos + 8
    return this.buf.readBigUInt64BE(pos)
  }

  /** Zig-zag varint of at most 32 bits, as Kafka's records use them. */
  varint(): number {
    let result = 0
    let shift = 0
    for (;;) {
      if (this.pos >= this.end) throw this.fail('varint runs past the end of the buffer')
      const byte = this.buf[this.pos++]!
      if (shift < 28) {
        result |= (byte & 0x7f) << shift
      } else if (shift === 28) {
        result |= (byte & 0x0f) << 28
        if (byte > 0x0f) throw this.fail('varint is longer than 32 bits')
      } else {
        throw this.fail('varint is longer than 5 bytes')
      }
      if (byte < 0x80) break
      shift += 7
    }
    return (result >>> 1) ^ -(result & 1)
  }

  /** Zig-zag varlong, read with arithmetic so values up to 2^53 (timestamps, deltas) stay exact. */
  varlong(): number {
    let result = 0
    let multiplier = 1
    for (let i = 0; ; i++) {
      if (i >= 10) throw this.fail('varlong is longer than 10 bytes')
      if (this.pos >= this.end) throw this.fail('varlong runs past the end of the buffer')
      const byte = this.buf[this.pos++]!
      result += (byte & 0x7f) * multiplier
      if (byte < 0x80) break
      multiplier *= 128
    }
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2
  }

  /** Unsigned varint of at most 5 bytes (the Kafka protocol's compact lengths and tags). */
  unsignedVarint(): number {
    let result = 0
    let multiplier = 1
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw this.overrun(1)
      const byte = this.buf[this.pos++]!
      result += (byte & 0x7f) * multiplier
      if (byte < 0x80) return result
      multiplier *= 128
    }
    throw this.fail('unsigned varint longer than 5 bytes')
  }

  /** A view (no copy) of the next `length` bytes. */
  slice(length: number): Buffer {
    const { pos } = this
    if (length < 0) throw this.fail(`invalid length ${length}`)
    if (pos + length > this.end) throw this.overrun(length)
    this.pos = pos + length
    return this.buf.subarray(pos, pos + length)
  }

  /** As slice(), with length -1 meaning null, as Kafka writes a null key, value or bytes field. */
  nullableSlice(length: number): Buffer | null {
    if (length === -1) return null
    return this.slice(length)
  }

  /** The next `length` bytes decoded as UTF-8. */
  utf8(length: number): string {
    const { pos } = this
    if (length < 0) throw this.fail(`invalid length ${length}`)
    if (pos + length > this.end) throw this.overrun(length)
    this.pos = pos + length
    return this.buf.toString('utf8', pos, pos + length)
  }

  /** A NUL-terminated UTF-8 string (PostgreSQL's protocol strings). */
  cstring(): string {
    const { pos } = this
    const nul = this.buf.indexOf(0, pos)
    if (nul < 0 || nul >= this.end) throw this.fail('unterminated string')
    this.pos = nul + 1
    return this.buf.toString('utf8', pos, nul)
  }

  /** The error an unreadable input throws: a format overrides this to throw its own. */
  protected fail(problem: string): Error {
    return new RangeError(problem)
  }

  private overrun(bytes: number): Error {
    return this.fail(`needs ${bytes} more bytes, ${this.end - this.pos} left`)
  }
}
