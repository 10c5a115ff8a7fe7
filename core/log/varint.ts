/**
 * Zig-zag varints as Kafka's record format uses them (protobuf encoding). The 32-bit forms use bit
 * operations; the "long" forms use arithmetic so values up to 2^53 (timestamps, deltas) stay exact.
 */

export function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0
  let bytes = 1
  while (v >= 0x80) {
    v >>>= 7
    bytes++
  }
  return bytes
}

export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80
    v >>>= 7
  }
  buf[pos++] = v
  return pos
}

function zigzagLong(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1
}

export function sizeOfVarlong(value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return sizeOfVarint(value)
  let v = zigzagLong(value)
  let bytes = 1
  while (v >= 0x80) {
    v = Math.floor(v / 128)
    bytes++
  }
  return bytes
}

export function writeVarlong(buf: Buffer, pos: number, value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return writeVarint(buf, pos, value)
  let v = zigzagLong(value)
  while (v >= 0x80) {
    buf[pos++] = (v % 128) | 0x80
    v = Math.floor(v / 128)
  }
  buf[pos++] = v
  return pos
}

/** A read cursor over one buffer; a class so the hot decode loop stays monomorphic. */
export class ByteReader {
  buf: Buffer
  pos: number
  end: number

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf
    this.pos = pos
    this.end = end
  }

  get remaining(): number {
    return this.end - this.pos
  }

  readInt8(): number {
    this.need(1)
    return this.buf.readInt8(this.pos++)
  }

  readVarint(): number {
    let result = 0
    let shift = 0
    for (;;) {
      if (this.pos >= this.end) throw new RangeError('varint runs past the end of the buffer')
      const byte = this.buf[this.pos++]!
      if (shift < 28) {
        result |= (byte & 0x7f) << shift
      } else if (shift === 28) {
        result |= (byte & 0x0f) << 28
        if (byte > 0x0f) throw new RangeError('varint is longer than 32 bits')
      } else {
        throw new RangeError('varint is longer than 5 bytes')
      }
      if (byte < 0x80) break
      shift += 7
    }
    return (result >>> 1) ^ -(result & 1)
  }

  readVarlong(): number {
    let result = 0
    let multiplier = 1
    for (let i = 0; ; i++) {
      if (i >= 10) throw new RangeError('varlong is longer than 10 bytes')
      if (this.pos >= this.end) throw new RangeError('varlong runs past the end of the buffer')
      const byte = this.buf[this.pos++]!
      result += (byte & 0x7f) * multiplier
      if (byte < 0x80) break
      multiplier *= 128
    }
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2
  }

  /** A view (no copy) of the next `length` bytes; null for length -1. */
  readBytes(length: number): Buffer | null {
    if (length < 0) {
      if (length !== -1) throw new RangeError(`invalid length ${length}`)
      return null
    }
    this.need(length)
    const out = this.buf.subarray(this.pos, this.pos + length)
    this.pos += length
    return out
  }

  private need(bytes: number): void {
    if (this.pos + bytes > this.end) throw new RangeError(`need ${bytes} bytes, ${this.end - this.pos} left`)
  }
}
