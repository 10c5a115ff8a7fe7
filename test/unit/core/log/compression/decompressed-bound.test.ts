/**
 * The decompressed-size bound read from each codec's framing: never below what the data really
 * decompresses to (for frames our codecs and real clients write), close to it for ordinary data,
 * and large for a bomb, which the codecs then refuse before inflating it. Malformed framing throws.
 */
import { describe, expect, it } from 'vitest'
import { compressionCodecs } from '../../../../../core/log/compression/compression-codecs.ts'
import { decompressedBound } from '../../../../../core/log/compression/decompressed-bound.ts'

const FRAMED = ['snappy', 'lz4', 'zstd'] as const
const MiB = 1024 * 1024

/** Text that compresses like real records do, neither random nor all one byte. */
const ordinary = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `{"id":${i},"name":"row ${i}","ok":${i % 3 === 0}}`).join('\n'))
const bomb = Buffer.alloc(8 * MiB)

/** The Java client's xerial-framed snappy of "k1"/"hello hello hello"… records (compression-codecs.test.ts). */
const JAVA_XERIAL_SNAPPY = Buffer.from(
  '82534e415050590000000001000000010000003245343a000000046b312268656c6c6f201d064002026802763a000202012e76616c756520420600240010000404046b330100',
  'hex',
)

describe('decompressedBound', () => {
  for (const codec of FRAMED) {
    it(`bounds ${codec} output from above, within a block of the truth`, () => {
      const compressed = compressionCodecs[codec].compress(ordinary)
      const bound = decompressedBound(codec, compressed)
      expect(bound).toBeGreaterThanOrEqual(ordinary.length)
      expect(bound).toBeLessThanOrEqual(ordinary.length + 4 * MiB)
    })

    it(`sees ${codec}'s bomb for what it is and refuses it before inflating`, () => {
      const compressed = compressionCodecs[codec].compress(bomb)
      expect(compressed.length).toBeLessThan(bomb.length / 20)
      expect(decompressedBound(codec, compressed)).toBeGreaterThanOrEqual(bomb.length)
      expect(() => compressionCodecs[codec].decompress(compressed, MiB)).toThrowError(
        expect.objectContaining({
          code: 'TRB_LOG_RECORD_TOO_LARGE',
          message: expect.stringMatching(
            new RegExp(`^the ${codec} records decompress to up to \\d+ bytes, over the limit of ${MiB} bytes; send smaller batches`),
          ),
        }),
      )
      expect(compressionCodecs[codec].decompress(compressed, bomb.length + 4 * MiB).equals(bomb)).toBe(true)
    })

    it(`throws on ${codec} framing cut short`, () => {
      const compressed = compressionCodecs[codec].compress(ordinary)
      expect(() => decompressedBound(codec, compressed.subarray(0, codec === 'snappy' ? 1 : 9))).toThrow()
    })
  }

  it('sums the chunks of a xerial snappy stream, as the Java client frames it', () => {
    expect(decompressedBound('snappy', JAVA_XERIAL_SNAPPY)).toBe(compressionCodecs.snappy.decompress(JAVA_XERIAL_SNAPPY, MiB).length)
  })

  it('adds up concatenated frames and steps over skippable ones', () => {
    const frame = compressionCodecs.zstd.compress(ordinary)
    const skippable = Buffer.alloc(8 + 5)
    skippable.writeUInt32LE(0x184d2a53, 0)
    skippable.writeUInt32LE(5, 4)
    const data = Buffer.concat([frame, skippable, frame])
    expect(decompressedBound('zstd', data)).toBe(2 * decompressedBound('zstd', frame))
    expect(compressionCodecs.zstd.decompress(data, 4 * MiB).equals(Buffer.concat([ordinary, ordinary]))).toBe(true)
  })

  it("counts a zstd frame's window, which the decoder reserves however little the frame holds", () => {
    // magic, no content size, a 1 GiB window (exponent 20), then one empty raw block that is the last.
    const tiny = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 20 << 3, 0x01, 0x00, 0x00])
    expect(decompressedBound('zstd', tiny)).toBe(2 ** 30)
    expect(() => compressionCodecs.zstd.decompress(tiny, MiB)).toThrowError(expect.objectContaining({ code: 'TRB_LOG_RECORD_TOO_LARGE' }))
    // A single-segment frame's window is its content size: here 300 bytes (two bytes, counted from 256).
    const small = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x60, 44, 0x00, 0x01, 0x00, 0x00])
    expect(decompressedBound('zstd', small)).toBe(300)
  })

  it('names data that starts with no frame', () => {
    expect(() => decompressedBound('lz4', Buffer.alloc(16, 0xff))).toThrow(/no frame starts at byte 0/)
  })
})

describe('gzip', () => {
  it('stops inflating at the limit and says so', () => {
    const compressed = compressionCodecs.gzip.compress(bomb)
    expect(() => compressionCodecs.gzip.decompress(compressed, MiB)).toThrowError(
      expect.objectContaining({
        code: 'TRB_LOG_RECORD_TOO_LARGE',
        message: `the gzip records decompress to more than ${MiB} bytes; send smaller batches (lower the producer's batch.size)`,
      }),
    )
    expect(compressionCodecs.gzip.decompress(compressed, bomb.length).equals(bomb)).toBe(true)
  })
})
