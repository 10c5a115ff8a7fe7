/**
 * Snappy as Kafka clients write it into a record batch. The Java client wraps raw snappy blocks in
 * snappy-java's stream framing ("xerial"); librdkafka, kafkajs codecs and platformatic write one raw
 * snappy block. Every client reads raw blocks (snappy-java falls back to raw when the magic is
 * missing), so raw is what we write; we read both, as librdkafka does.
 *
 * Xerial stream => magic:8 ("\x82SNAPPY\0") version:int32 compatibleVersion:int32 [Chunk]
 * Chunk => compressedLength:int32 rawSnappyBlock
 * A header may appear again between chunks (streams concatenated); a chunk length never starts with
 * 0x82, so the two cannot be confused.
 */
import { createRequire } from 'node:module'

type SnappyBinding = typeof import('snappy')

const require = createRequire(import.meta.url)
let binding: SnappyBinding | undefined
/** Loaded on first use: a worker that never meets snappy never loads the native module. */
const snappy = (): SnappyBinding => (binding ??= require('snappy') as SnappyBinding)

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
const XERIAL_HEADER_BYTES = 16

function hasXerialMagic(data: Buffer, pos: number): boolean {
  return (
    data.length - pos >= XERIAL_MAGIC.length && data.compare(XERIAL_MAGIC, 0, XERIAL_MAGIC.length, pos, pos + XERIAL_MAGIC.length) === 0
  )
}

function uncompressBlock(block: Buffer): Buffer {
  return snappy().uncompressSync(block, { asBuffer: true }) as Buffer
}

function decompress(data: Buffer): Buffer {
  if (!hasXerialMagic(data, 0)) return uncompressBlock(data)
  const chunks: Buffer[] = []
  let pos = 0
  while (pos < data.length) {
    if (hasXerialMagic(data, pos)) {
      if (data.length - pos < XERIAL_HEADER_BYTES) throw new Error('truncated xerial snappy header')
      pos += XERIAL_HEADER_BYTES
      continue
    }
    if (data.length - pos < 4) throw new Error(`truncated xerial snappy chunk length at byte ${pos}`)
    const length = data.readInt32BE(pos)
    pos += 4
    if (length < 0 || pos + length > data.length)
      throw new Error(`xerial snappy chunk of ${length} bytes at byte ${pos - 4} runs past the end`)
    chunks.push(uncompressBlock(data.subarray(pos, pos + length)))
    pos += length
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
}

export const snappyCodec = {
  compress: (data: Buffer): Buffer => snappy().compressSync(data),
  decompress,
} as const
