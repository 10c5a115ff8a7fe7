/**
 * Each codec against batches real clients wrote: the Java client (kafka-clients 3.9, whose snappy is
 * xerial-framed) and kcat (librdkafka, raw snappy), captured once and kept here as hex. Plus the
 * xerial framing's corners and input that does not decompress.
 */
import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../../../../../core/log/log.ts'
import { compressionCodecs } from '../../../../../core/log/compression/compression-codecs.ts'
import { snappyCodec } from '../../../../../core/log/compression/snappy-codec.ts'
import {
  BATCH_HEADER_BYTES,
  BatchField,
  checkBatch,
  compressionOf,
  decodeBatchRecords,
  readBatchHeader,
} from '../../../../../core/log/record-batch.ts'

const T0 = 1_700_000_000_000
const XERIAL_MAGIC = Buffer.from('82534e4150505900', 'hex')

/** MemoryRecords.builder(…, compression, CREATE_TIME, 0) with three records at T0, T0+1, T0+2. */
const JAVA = {
  snappy:
    '000000000000000000000077ffffffff02f54db69e0002000000020000018bcfe568000000018bcfe56802ffffffffffffffffffffffffffff0000000382534e415050590000000001000000010000003245343a000000046b312268656c6c6f201d064002026802763a000202012e76616c756520420600240010000404046b330100',
  lz4: '000000000000000000000071ffffffff02f1d4fc580003000000020000018bcfe568000000018bcfe56802ffffffffffffffffffffffffffff0000000304224d1860408231000000e73a000000046b312268656c6c6f200600fd0202026802763a000202012e76616c7565200600a00010000404046b33010000000000',
  zstd: '00000000000000000000006fffffffff026c0808560004000000020000018bcfe568000000018bcfe56802ffffffffffffffffffffffffffff0000000328b52ffd005894010094023a000000046b312268656c6c6f2002026802763a000202012e76616c7565200010000404046b3301000200c15c121725010000',
} as const

/** kcat -z <codec> -K '\t' -H h=v of "k1\t" + 'hello ' x 20, "\t" + 'value ' x 20, "k3\tthird". */
const KCAT = {
  snappy:
    '00000000000000000000007900000000026f36cfd7000200000002000001a24d3a5eae000001a24d3a5eaeffffffffffffffffffffffffffff000000039e023c8a02000000046b31f00168656c6c6f20fe0600c60600480202680276860200000200f00176616c756520fe0600c6060005854422000004046b330a74686972640202680276',
  lz4: '00000000000000000000008400000000029a10317e000300000002000001a24d3a5fe7000001a24d3a5fe7ffffffffffffffffffffffffffff0000000304224d1860408244000000ff018a02000000046b31f00168656c6c6f2006005fff040202680276860200000200f00176616c75652006005f018500f00322000004046b330a7468697264020268027600000000',
  zstd: '00000000000000000000007c0000000002210b3154000400000002000001a24d3a6146000001a24d3a6146ffffffffffffffffffffffffffff0000000328b52ffd005815020054038a02000000046b31f00168656c6c6f200202680276860200000200f00176616c75652022000004046b330a7468697264020268027603000823800fa4c14b5ac0',
} as const

function decode(batch: Buffer): StoredRecord[] {
  const out: StoredRecord[] = []
  decodeBatchRecords(batch, 't', 0, 0, out)
  return out
}

const text = (b: Buffer | null) => b?.toString() ?? null

describe('batches the Java client compressed', () => {
  for (const codec of ['snappy', 'lz4', 'zstd'] as const) {
    it(`decodes ${codec}`, () => {
      const batch = Buffer.from(JAVA[codec], 'hex')
      expect(checkBatch(batch, 0)).toBeUndefined()
      expect(compressionOf(readBatchHeader(batch).attributes)).toBe(codec)
      const records = decode(batch)
      expect(records.map((r) => [text(r.key), text(r.value), r.timestamp, r.offset])).toEqual([
        ['k1', 'hello hello hello', T0, 0],
        [null, 'value value value value', T0 + 1, 1],
        ['k3', null, T0 + 2, 2],
      ])
      expect(records[0]!.headers.map((h) => [h.key, text(h.value)])).toEqual([['h', 'v']])
    })
  }

  it('frames snappy the xerial way, so the framed path is the one tested', () => {
    expect(
      Buffer.from(JAVA.snappy, 'hex')
        .subarray(BATCH_HEADER_BYTES, BATCH_HEADER_BYTES + 8)
        .equals(XERIAL_MAGIC),
    ).toBe(true)
  })
})

describe('batches kcat (librdkafka) compressed', () => {
  for (const codec of ['snappy', 'lz4', 'zstd'] as const) {
    it(`decodes ${codec}`, () => {
      const batch = Buffer.from(KCAT[codec], 'hex')
      expect(checkBatch(batch, 0)).toBeUndefined()
      expect(compressionOf(readBatchHeader(batch).attributes)).toBe(codec)
      const records = decode(batch)
      expect(records.map((r) => [text(r.key), text(r.value)])).toEqual([
        ['k1', 'hello '.repeat(20)],
        ['', 'value '.repeat(20)],
        ['k3', 'third'],
      ])
      expect(records.every((r) => r.headers.length === 1 && r.headers[0]!.key === 'h' && text(r.headers[0]!.value) === 'v')).toBe(true)
    })
  }

  it('writes raw snappy, so the unframed path is the one tested', () => {
    expect(
      Buffer.from(KCAT.snappy, 'hex')
        .subarray(BATCH_HEADER_BYTES, BATCH_HEADER_BYTES + 8)
        .equals(XERIAL_MAGIC),
    ).toBe(false)
  })
})

describe('xerial snappy framing', () => {
  const xerialHeader = Buffer.concat([XERIAL_MAGIC, Buffer.from('0000000100000001', 'hex')])
  const chunk = (data: string) => {
    const block = snappyCodec.compress(Buffer.from(data))
    const length = Buffer.alloc(4)
    length.writeInt32BE(block.length)
    return Buffer.concat([length, block])
  }

  it('joins several chunks, and streams concatenated with their headers', () => {
    const framed = Buffer.concat([xerialHeader, chunk('one '), chunk('two '), xerialHeader, chunk('three')])
    expect(snappyCodec.decompress(framed).toString()).toBe('one two three')
    expect(snappyCodec.decompress(xerialHeader).length).toBe(0)
  })

  it('refuses a chunk that runs past the end, and a truncated header', () => {
    const framed = Buffer.concat([xerialHeader, chunk('one two three')])
    expect(() => snappyCodec.decompress(framed.subarray(0, framed.length - 2))).toThrow(/runs past the end/)
    expect(() => snappyCodec.decompress(xerialHeader.subarray(0, 12))).toThrow(/truncated/)
  })
})

describe('input that does not decompress', () => {
  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`${codec} throws, and a batch claiming it is TRB_LOG_INVALID_BATCH`, () => {
      const garbage = Buffer.alloc(16, 0xff)
      expect(() => compressionCodecs[codec].decompress(garbage, 1 << 20)).toThrow()
      const batch = Buffer.from(KCAT.zstd, 'hex')
      const tampered = Buffer.concat([batch.subarray(0, BATCH_HEADER_BYTES), garbage])
      tampered.writeInt16BE(
        (batch.readInt16BE(BatchField.attributes) & ~0x07) | ['none', 'gzip', 'snappy', 'lz4', 'zstd'].indexOf(codec),
        BatchField.attributes,
      )
      expect(() => decode(tampered)).toThrowError(
        expect.objectContaining({ code: 'TRB_LOG_INVALID_BATCH', message: expect.stringContaining(`does not decompress as ${codec}`) }),
      )
    })
  }

  it('a truncated zstd frame from a real client throws', () => {
    const batch = Buffer.from(KCAT.zstd, 'hex')
    expect(() => compressionCodecs.zstd.decompress(batch.subarray(BATCH_HEADER_BYTES, batch.length - 4), 1 << 20)).toThrow()
  })

  it('an undefined codec id (5-7) is TRB_LOG_INVALID_BATCH naming it', () => {
    const batch = Buffer.from(KCAT.lz4, 'hex')
    batch.writeInt16BE(batch.readInt16BE(BatchField.attributes) | 0x07, BatchField.attributes)
    expect(compressionOf(batch.readInt16BE(BatchField.attributes))).toBeUndefined()
    expect(() => decode(batch)).toThrowError(
      expect.objectContaining({ code: 'TRB_LOG_INVALID_BATCH', message: expect.stringContaining('compression id 7') }),
    )
  })
})
