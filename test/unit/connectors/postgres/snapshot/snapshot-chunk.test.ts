import { describe, expect, it } from 'vitest'
import { chunkSchemas, decodeChunk, decodeSchemas, encodeChunk } from '../../../../../connectors/postgres/snapshot/snapshot-chunk.ts'
import {
  Debezium,
  type JsonBytes,
  Logical,
  Schemas,
  asOptional,
  schemaJson,
  type SourceRecord,
} from '../../../../../core/runtime/plugin.ts'

const partition = Object.freeze({ server: 'p' })
const progress = { rowsDone: 3, rowsEstimated: 10, table: 'public.t' }
const keySchema = Schemas.struct([['id', Schemas.int64({ defaultValue: 0 })]], { name: 'p.public.t.Key' })
const row = Schemas.struct(
  [
    ['name', Schemas.string({ optional: true })],
    ['price', Logical.decimal(2, 10, { optional: true, defaultValue: '1.50' })],
    ['at', asOptional(Debezium.microTimestamp)],
  ],
  { name: 'p.public.t.Value', optional: true },
)
const valueSchema = Schemas.struct([['after', row]], { name: 'p.public.t.Envelope', version: 2 })

function texts(records: readonly SourceRecord[]): Array<[string | null, string | null]> {
  return records.map((record) => [
    record.key === null ? null : (record.key as JsonBytes).bytes.toString(),
    record.value === null ? null : (record.value as JsonBytes).bytes.toString(),
  ])
}

function record(key: unknown, after: Record<string, unknown> | null, sourceOffset: Record<string, string>): SourceRecord {
  return {
    topic: 'p.public.t',
    key,
    ...(key !== null && { keySchema }),
    value: after === null ? null : { after },
    valueSchema,
    timestamp: 5,
    sourcePartition: partition,
    sourceOffset,
  }
}

describe('snapshot chunks across threads', () => {
  it('carries payloads as JsonConverter writes them, byte-exact beyond ASCII, with their schemas and offsets', () => {
    const shared = { snapshot: 'true', snapshot_key: '["0"]' }
    const last = { snapshot: 'true', snapshot_key: '["3"]' }
    const records = [
      record({ id: 1 }, { name: 'plain', price: '12.34', at: 1_709_251_199_123_456 }, shared),
      record({ id: 9_223_372_036_854_775_807n }, { name: 'grüße ✓ 日本 😀', price: null, at: null }, shared),
      record(null, { name: 'no key, "quotes" and ü', price: '-0.01', at: 0 }, shared),
      record({ id: 4 }, null, last),
    ]
    const chunk = encodeChunk(records, progress, chunkSchemas(records[0] as SourceRecord))
    expect(chunk.offsets).toEqual([shared, last])
    const decoded = decodeChunk(chunk, partition, decodeSchemas(chunk.schemas as NonNullable<typeof chunk.schemas>))
    expect(texts(decoded)).toEqual([
      ['{"id":1}', '{"after":{"name":"plain","price":"BNI=","at":1709251199123456}}'],
      // Jackson writes a character beyond the BMP as its escaped surrogates.
      ['{"id":9223372036854775807}', '{"after":{"name":"grüße ✓ 日本 \\uD83D\\uDE00","price":"AJY=","at":null}}'],
      [null, '{"after":{"name":"no key, \\"quotes\\" and ü","price":"/w==","at":0}}'],
      ['{"id":4}', null],
    ])
    expect(decoded.map((one) => [one.topic, one.timestamp, one.sourcePartition, one.sourceOffset])).toEqual(
      records.map((one) => [one.topic, one.timestamp, partition, one.sourceOffset]),
    )
    expect(decoded[0]?.sourcePartition).toBe(partition)
    // The schemas come back whole: JsonConverter's text of them is the same.
    expect(schemaJson(decoded[0]?.keySchema as typeof keySchema)).toBe(schemaJson(keySchema))
    expect(schemaJson(decoded[0]?.valueSchema as typeof valueSchema)).toBe(schemaJson(valueSchema))
    expect(decoded[1]?.valueSchema).toBe(decoded[0]?.valueSchema)
    expect(decoded[2]?.keySchema).toBeUndefined()
    expect(decoded[3]?.valueSchema).toBeUndefined()
  })

  it("sizes the buffer again in bytes when the chunk's last text holds a character beyond ASCII", () => {
    // Sized for ASCII, the last text is cut short by exactly as many bytes as ü takes beyond one.
    const records = [
      record({ id: 1 }, { name: 'a', price: null, at: null }, {}),
      record({ id: 2 }, { name: 'ü and more after it', price: null, at: null }, {}),
    ]
    const chunk = encodeChunk(records, progress)
    const decoded = decodeChunk(chunk, partition, { key: keySchema, value: valueSchema })
    expect(texts(decoded)[1]).toEqual(['{"id":2}', '{"after":{"name":"ü and more after it","price":"AJY=","at":null}}'])
  })

  it('sizes the buffer exactly for ASCII text, and in bytes for other text', () => {
    const of = (name: string) => record(null, { name, price: null, at: null }, {})
    const plain = '{"after":{"name":"ab","price":"AJY=","at":null}}'
    expect(encodeChunk([of('ab'), of('ab')], progress).bytes.byteLength).toBe(plain.length * 2)
    expect(encodeChunk([of('ü'), of('ab')], progress).bytes.byteLength).toBe(Buffer.byteLength(plain.replace('ab', 'ü')) + plain.length)
  })
})
