import { describe, expect, it } from 'vitest'
import { ByteReader } from '../../../../core/byte-reader.ts'
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from '../../../../core/log/varint.ts'

describe('zig-zag varints', () => {
  // Vectors from the protobuf encoding guide: zig-zag maps 0,-1,1,-2 to 0,1,2,3.
  it.each([
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-2, '03'],
    [63, '7e'],
    [-64, '7f'],
    [64, '8001'],
    [2147483647, 'feffffff0f'],
    [-2147483648, 'ffffffff0f'],
  ])('varint %d encodes as %s', (value, hex) => {
    const buf = Buffer.alloc(10)
    const end = writeVarint(buf, 0, value)
    expect(buf.subarray(0, end).toString('hex')).toBe(hex)
    expect(sizeOfVarint(value)).toBe(hex.length / 2)
    expect(new ByteReader(buf, 0, end).varint()).toBe(value)
  })

  it.each([0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 4_000_000_000, -4_000_000_000, 2 ** 52, -(2 ** 52), 1_700_000_000_000])(
    'varlong %d round-trips',
    (value) => {
      const buf = Buffer.alloc(10)
      const end = writeVarlong(buf, 0, value)
      expect(end).toBe(sizeOfVarlong(value))
      expect(new ByteReader(buf, 0, end).varlong()).toBe(value)
    },
  )

  it('encodes 2^31 as a 64-bit zig-zag', () => {
    const buf = Buffer.alloc(10)
    const end = writeVarlong(buf, 0, 2 ** 31)
    expect(buf.subarray(0, end).toString('hex')).toBe('8080808010')
  })

  it('refuses a varint that runs past the buffer or past 32 bits', () => {
    expect(() => new ByteReader(Buffer.from([0x80, 0x80])).varint()).toThrow(/past the end/)
    expect(() => new ByteReader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f])).varint()).toThrow(/longer than 32 bits/)
  })
})
