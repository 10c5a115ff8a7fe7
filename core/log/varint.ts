/**
 * Zig-zag varints as Kafka's record format uses them (protobuf encoding). The 32-bit forms use bit
 * operations; the "long" forms use arithmetic so values up to 2^53 (timestamps, deltas) stay exact.
 * Reading them is ByteReader's (core/byte-reader.ts), the one reader every binary format shares.
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
