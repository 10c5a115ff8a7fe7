import { describe, expect, it } from 'vitest'
import { decodeChunk, encodeChunk } from '../../../../connectors/postgres/snapshot-chunk.ts'
import { JsonBytes, type SourceRecord } from '../../../../core/runtime/plugin.ts'

const partition = Object.freeze({ server: 'p' })
const progress = { rowsDone: 3, rowsEstimated: 10, table: 'public.t' }

function texts(records: readonly SourceRecord[]): Array<[string | null, string | null]> {
  return records.map((record) => [
    record.key === null ? null : (record.key as JsonBytes).bytes.toString(),
    record.value === null ? null : (record.value as JsonBytes).bytes.toString(),
  ])
}

describe('snapshot chunks across threads', () => {
  it('carries keys, values and offsets over, byte-exact with text beyond ASCII, and without keys or values', () => {
    const shared = { snapshot: 'true', snapshot_key: '["0"]' }
    const last = { snapshot: 'true', snapshot_key: '["3"]' }
    const records: SourceRecord[] = [
      { topic: 'p.public.t', key: { id: 1 }, value: { name: 'plain' }, timestamp: 5, sourcePartition: partition, sourceOffset: shared },
      { topic: 'p.public.t', key: { id: 2 }, value: { name: 'grüße ✓ 日本 😀' }, timestamp: 5, sourcePartition: partition, sourceOffset: shared },
      { topic: 'p.public.t', key: null, value: { name: 'no key, after "quotes" and ü' }, timestamp: 5, sourcePartition: partition, sourceOffset: shared },
      { topic: 'p.public.t', key: { id: 'é' }, value: null, timestamp: 5, sourcePartition: partition, sourceOffset: last },
    ]
    const chunk = encodeChunk(records, progress)
    expect(chunk.offsets).toEqual([shared, last])
    const decoded = decodeChunk(chunk, partition)
    expect(texts(decoded)).toEqual([
      ['{"id":1}', '{"name":"plain"}'],
      ['{"id":2}', '{"name":"grüße ✓ 日本 😀"}'],
      [null, '{"name":"no key, after \\"quotes\\" and ü"}'],
      ['{"id":"é"}', null],
    ])
    expect(decoded.map((record) => [record.topic, record.timestamp, record.sourcePartition, record.sourceOffset])).toEqual(
      records.map((record) => [record.topic, record.timestamp, partition, record.sourceOffset]),
    )
    expect(decoded[0]?.sourcePartition).toBe(partition)
  })

  it('sizes the buffer exactly for ASCII text, and in bytes for other text', () => {
    const record = (name: string): SourceRecord => ({ topic: 't', key: null, value: { name }, timestamp: 1, sourcePartition: partition, sourceOffset: {} })
    expect(encodeChunk([record('ab'), record('cd')], progress).bytes.byteLength).toBe('{"name":"ab"}{"name":"cd"}'.length)
    expect(encodeChunk([record('ü'), record('cd')], progress).bytes.byteLength).toBe(Buffer.byteLength('{"name":"ü"}{"name":"cd"}'))
  })
})
