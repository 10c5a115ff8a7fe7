import { describe, expect, it } from 'vitest'
import { KafkaReader } from '../../../../../core/kafka/protocol/reader.ts'
import { KafkaWriter } from '../../../../../core/kafka/protocol/writer.ts'

describe('KafkaWriter and KafkaReader', () => {
  it('write the classic forms: int16-length strings, int32-length bytes and arrays, -1 for null', () => {
    const bytes = new KafkaWriter(false)
      .string('ab')
      .nullableString(null)
      .bytes(Buffer.from([9]))
      .nullableBytes(null)
      .array([1, 2], (w, n) => w.int8(n))
      .toBuffer()
    expect([...bytes]).toEqual([0, 2, 0x61, 0x62, 0xff, 0xff, 0, 0, 0, 1, 9, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2, 1, 2])
  })

  it('write the compact forms in flexible versions: unsigned varint length + 1, 0 for null', () => {
    const bytes = new KafkaWriter(true)
      .string('ab')
      .nullableString(null)
      .bytes(Buffer.from([9]))
      .nullableArray(null, () => undefined)
      .array([7], (w, n) => w.int8(n))
      .taggedFields()
      .toBuffer()
    expect([...bytes]).toEqual([3, 0x61, 0x62, 0, 2, 9, 0, 2, 7, 0])
  })

  it('encode lengths above 127 as multi-byte unsigned varints', () => {
    const text = 'x'.repeat(300)
    const bytes = new KafkaWriter(true).string(text).toBuffer()
    expect([...bytes.subarray(0, 2)]).toEqual([0xad, 0x02]) // 301
    expect(new KafkaReader(bytes, true).string()).toBe(text)
  })

  it('skip unknown tagged fields and hand known ones over', () => {
    const bytes = new KafkaWriter(true)
      .taggedFields([
        [0, (w) => w.int32(5)],
        [7, (w) => w.string('skip me')],
      ])
      .int8(42)
      .toBuffer()
    const reader = new KafkaReader(bytes, true)
    const seen: Array<[number, number]> = []
    reader.taggedFields((tag, field) => {
      if (tag === 0) seen.push([tag, field.int32()])
    })
    expect(seen).toEqual([[0, 5]])
    expect(reader.int8()).toBe(42)
  })

  it('keep int64 exact up to 2^53 and negative values', () => {
    const bytes = new KafkaWriter()
      .int64(2 ** 53 - 1)
      .int64(-1)
      .int64(-(2 ** 40))
      .toBuffer()
    const reader = new KafkaReader(bytes)
    expect([reader.int64(), reader.int64(), reader.int64()]).toEqual([2 ** 53 - 1, -1, -(2 ** 40)])
  })

  it('refuse to read past the end or an array longer than the bytes left', () => {
    expect(() => new KafkaReader(Buffer.from([0, 5, 0x61])).string()).toThrow(expect.objectContaining({ code: 'TRB_PROTOCOL_FRAME' }))
    expect(() => new KafkaReader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).array((r) => r.int8())).toThrow(
      expect.objectContaining({ code: 'TRB_PROTOCOL_FRAME' }),
    )
  })

  it('queue a large buffer as its own chunk instead of copying it', () => {
    const big = Buffer.alloc(10_000, 1)
    const writer = new KafkaWriter().int32(1).raw(big).int32(2)
    const chunks = writer.chunks()
    expect(chunks).toHaveLength(3)
    expect(chunks[1]).toBe(big)
    expect(writer.length).toBe(10_008)
  })
})
