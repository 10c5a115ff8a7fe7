import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../../../../../core/log/log.ts'
import { compressBatch } from '../../../../../core/log/compression/compress-batch.ts'
import {
  BATCH_HEADER_BYTES,
  BatchField,
  checkBatch,
  compressionOf,
  decodeBatchRecords,
  encodeRecordBatch,
  readBatchHeader,
} from '../../../../../core/log/record-batch.ts'

const T0 = 1_700_000_000_000
const sample = [
  { key: Buffer.from('k1'), value: Buffer.from('hello '.repeat(100)), timestamp: T0, headers: [{ key: 'h', value: Buffer.from('v') }] },
  { key: null, value: Buffer.from('x'.repeat(3000)), timestamp: T0 + 5 },
  { key: Buffer.from('k3'), value: null, timestamp: T0 - 3 },
]
const producer = { producerId: 77, producerEpoch: 2, baseSequence: 9 }

function decode(batch: Buffer): StoredRecord[] {
  const out: StoredRecord[] = []
  decodeBatchRecords(batch, 't', 0, 0, out)
  return out
}

describe('compressBatch', () => {
  const plain = encodeRecordBatch(sample, 40, producer, undefined, T0)

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`round-trips ${codec}: smaller, valid CRC, same header and records`, () => {
      const compressed = compressBatch(plain, codec)
      expect(checkBatch(compressed, 0)).toBeUndefined()
      expect(compressed.length).toBeLessThan(plain.length)
      const header = readBatchHeader(compressed)
      expect(compressionOf(header.attributes)).toBe(codec)
      expect(header.sizeBytes).toBe(compressed.length)
      expect({ ...header, sizeBytes: 0, attributes: 0 }).toEqual({ ...readBatchHeader(plain), sizeBytes: 0, attributes: 0 })
      expect(decode(compressed)).toEqual(decode(plain))
    })
  }

  it("writes lz4 frames with independent blocks, which Kafka's Java reader needs", () => {
    const frame = compressBatch(plain, 'lz4').subarray(BATCH_HEADER_BYTES)
    expect(frame.readUInt32LE(0)).toBe(0x184d2204)
    const flg = frame[4]!
    expect(flg >> 6).toBe(1) // frame format version 01
    expect(flg & 0x20).toBe(0x20) // block independence
  })

  it('writes snappy as one raw block, which every client reads', () => {
    const body = compressBatch(plain, 'snappy').subarray(BATCH_HEADER_BYTES)
    expect(body.subarray(0, 8).equals(Buffer.from('82534e4150505900', 'hex'))).toBe(false)
  })

  it('returns an uncompressed batch as it is for none, and refuses to compress twice', () => {
    expect(compressBatch(plain, 'none')).toBe(plain)
    const gz = compressBatch(plain, 'gzip')
    expect(() => compressBatch(gz, 'zstd')).toThrowError(expect.objectContaining({ code: 'TRB_LOG_INVALID_BATCH' }))
    expect(gz.readInt16BE(BatchField.attributes) & 0x07).toBe(1)
  })
})
