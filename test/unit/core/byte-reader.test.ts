import { describe, expect, it } from 'vitest'
import { ByteReader } from '../../../core/byte-reader.ts'

describe('ByteReader', () => {
  it('reads big-endian integers as Buffer writes them, signed and unsigned', () => {
    const buf = Buffer.alloc(28)
    buf.writeInt8(-2, 0)
    buf.writeUInt8(0xfe, 1)
    buf.writeInt16BE(-300, 2)
    buf.writeInt32BE(-70_000, 4)
    buf.writeUInt32BE(0xfedc_ba98, 8)
    buf.writeBigInt64BE(-(2n ** 40n) - 5n, 12)
    buf.writeBigUInt64BE(2n ** 63n + 7n, 20)
    const reader = new ByteReader(buf, 0, 20)
    expect([reader.int8(), reader.uint8(), reader.int16(), reader.int32(), reader.uint32(), reader.int64()]).toEqual([
      -2,
      0xfe,
      -300,
      -70_000,
      0xfedc_ba98,
      -(2 ** 40) - 5,
    ])
    expect(() => reader.bigUint64()).toThrow(RangeError)
    expect(new ByteReader(buf, 20, 28).bigUint64()).toBe(2n ** 63n + 7n)
  })

  it('reads bytes as views, UTF-8 of a length and NUL-terminated strings', () => {
    const buf = Buffer.from('abc\0héllo\0rest', 'utf8')
    const reader = new ByteReader(buf)
    expect(reader.cstring()).toBe('abc')
    expect(reader.cstring()).toBe('héllo')
    const rest = reader.slice(2)
    expect(rest.buffer).toBe(buf.buffer)
    expect(reader.utf8(2)).toBe('st')
    expect(reader.nullableSlice(-1)).toBeNull()
    expect(reader.remaining).toBe(0)
  })

  it('stops at end, not at the end of the buffer', () => {
    const reader = new ByteReader(Buffer.from('ab\0cd'), 0, 2)
    expect(() => reader.cstring()).toThrow(/unterminated/)
    expect(() => reader.int32()).toThrow(/needs 4 more bytes, 2 left/)
    expect(() => reader.slice(-2)).toThrow(/invalid length -2/)
  })

  it('throws what a format makes of an overrun', () => {
    class Strict extends ByteReader {
      protected override fail(problem: string): Error {
        return new TypeError(`strict: ${problem}`)
      }
    }
    expect(() => new Strict(Buffer.alloc(1)).int16()).toThrow(/strict: needs 2 more bytes/)
    expect(() => new Strict(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])).unsignedVarint()).toThrow(/strict: unsigned varint longer/)
  })
})
