import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../../../../core/log/log.ts'
import {
  BATCH_HEADER_BYTES,
  BatchField,
  checkBatch,
  decodeBatchRecords,
  encodeRecordBatch,
  readBatchHeader,
  setBaseOffset,
} from '../../../../core/log/record-batch.ts'
import { kafkajsDecodeBatch, kafkajsEncodeBatch } from '../../../support/kafkajs-codec.ts'

const T0 = 1_700_000_000_000

const sample = [
  { key: Buffer.from('k1'), value: Buffer.from('hello'), timestamp: T0 },
  { key: null, value: Buffer.from('x'.repeat(300)), timestamp: T0 + 5 },
  { key: Buffer.from('k3'), value: null, timestamp: T0 - 3 },
  { key: Buffer.alloc(0), value: Buffer.alloc(0), timestamp: T0 + 4_000_000_000 },
]

describe('RecordBatch v2', () => {
  it('encodes byte for byte as kafkajs does', async () => {
    const ours = encodeRecordBatch(sample, 42)
    const theirs = await kafkajsEncodeBatch({ baseOffset: 42, records: sample })
    expect(ours.toString('hex')).toBe(theirs.toString('hex'))
  })

  it('encodes headers as kafkajs does, and kafkajs decodes ours', async () => {
    const records = [
      { key: Buffer.from('a'), value: Buffer.from('b'), timestamp: T0, headers: { trace: Buffer.from('t-1'), ünï: Buffer.from([0, 255]) } },
    ]
    const ours = encodeRecordBatch(
      records.map((r) => ({ ...r, headers: Object.entries(r.headers).map(([key, value]) => ({ key, value })) })),
      7,
    )
    expect(ours.equals(await kafkajsEncodeBatch({ baseOffset: 7, records }))).toBe(true)
    const decoded = await kafkajsDecodeBatch(ours)
    expect(decoded.records[0]!.offset).toBe('7')
    expect(decoded.records[0]!.headers.ünï).toEqual(Buffer.from([0, 255]))
  })

  it('decodes its own records with offsets, timestamps, nulls and headers', () => {
    const batch = encodeRecordBatch(
      [...sample, { key: null, value: Buffer.from('v'), timestamp: T0, headers: [{ key: 'h', value: null }] }],
      1000,
    )
    expect(checkBatch(batch, 0)).toBeUndefined()
    const out: StoredRecord[] = []
    decodeBatchRecords(batch, 't', 3, 0, out)
    expect(out.map((r) => r.offset)).toEqual([1000, 1001, 1002, 1003, 1004])
    expect(out.map((r) => r.timestamp)).toEqual([...sample.map((s) => s.timestamp), T0])
    expect(out[1]!.key).toBeNull()
    expect(out[2]!.value).toBeNull()
    expect(out[3]!.key).toEqual(Buffer.alloc(0))
    expect(out[4]!.headers).toEqual([{ key: 'h', value: null }])
    expect(out.every((r) => r.topic === 't' && r.partition === 3)).toBe(true)
  })

  it('skips records before the requested offset', () => {
    const out: StoredRecord[] = []
    decodeBatchRecords(encodeRecordBatch(sample, 10), 't', 0, 12, out)
    expect(out.map((r) => r.offset)).toEqual([12, 13])
  })

  it('decodes a gzip batch written by kafkajs', async () => {
    const batch = await kafkajsEncodeBatch({ baseOffset: 5, records: sample, gzip: true })
    expect(checkBatch(batch, 0)).toBeUndefined()
    const out: StoredRecord[] = []
    decodeBatchRecords(batch, 't', 0, 0, out)
    expect(out.map((r) => r.value?.length ?? null)).toEqual([5, 300, null, 0])
    expect(out.map((r) => r.offset)).toEqual([5, 6, 7, 8])
  })

  it('keeps the CRC valid when the base offset is assigned later', () => {
    const batch = encodeRecordBatch(sample, 0)
    setBaseOffset(batch, 0, 2 ** 40 + 3)
    expect(checkBatch(batch, 0)).toBeUndefined()
    const header = readBatchHeader(batch, 0)
    expect(header.baseOffset).toBe(2 ** 40 + 3)
    expect(header.lastOffset).toBe(2 ** 40 + 6)
    expect(header.maxTimestamp).toBe(T0 + 4_000_000_000)
    expect(header.sizeBytes).toBe(batch.length)
  })

  it('names what is wrong with a damaged batch', () => {
    const batch = encodeRecordBatch(sample, 0)
    const flipped = Buffer.from(batch)
    flipped[BATCH_HEADER_BYTES + 3]! ^= 0x40
    expect(checkBatch(flipped, 0)).toMatch(/CRC mismatch/)
    expect(checkBatch(batch.subarray(0, batch.length - 1), 0)).toMatch(/truncated batch/)
    expect(checkBatch(batch.subarray(0, 30), 0)).toMatch(/truncated header/)
    const badMagic = Buffer.from(batch)
    badMagic.writeInt8(1, BatchField.magic)
    expect(checkBatch(badMagic, 0)).toMatch(/magic 1/)
  })

  it('refuses an empty batch', () => {
    expect(() => encodeRecordBatch([], 0)).toThrowError(expect.objectContaining({ code: 'TRB_LOG_INVALID_BATCH' }))
  })
})
