/**
 * The codecs a Kafka record batch may name in attributes bits 0-2, each compressing and
 * decompressing a batch's records section in the format Kafka clients write: gzip (RFC 1952),
 * snappy (snappy-codec.ts), lz4 (the standard LZ4 frame, with independent blocks: Kafka's Java
 * reader decodes each block on its own) and zstd (the standard zstd frame). All are synchronous, so
 * reading a batch stays synchronous and an uncompressed read pays nothing for them. The native
 * modules load on first use. Decompression takes a limit that is checked before any output is
 * allocated (decompressed-bound.ts; zlib's own limit for gzip), so a small batch cannot make us hold
 * an unbounded one.
 */
import { createRequire } from 'node:module'
import { gunzipSync, gzipSync } from 'node:zlib'
import { TributaryError } from '../../errors.ts'
import { decompressedBound, type FramedCompression } from './decompressed-bound.ts'
import { snappyCodec } from './snappy-codec.ts'

export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'

export interface CompressionCodec {
  compress(data: Buffer): Buffer
  /** Throws TRB_LOG_RECORD_TOO_LARGE, before decompressing, when the output could exceed `maxBytes`. */
  decompress(data: Buffer, maxBytes: number): Buffer
}

type Lz4Binding = typeof import('lz4-napi')
type ZstdBinding = typeof import('@toondepauw/node-zstd')

const require = createRequire(import.meta.url)
let lz4Binding: Lz4Binding | undefined
let zstdCoders: { encoder: InstanceType<ZstdBinding['Encoder']>; decoder: InstanceType<ZstdBinding['Decoder']> } | undefined
const lz4 = (): Lz4Binding => (lz4Binding ??= require('lz4-napi') as Lz4Binding)
const zstd = () => {
  if (zstdCoders) return zstdCoders
  const { Encoder, Decoder } = require('@toondepauw/node-zstd') as ZstdBinding
  // Level 3: zstd's default, and Kafka's.
  zstdCoders = { encoder: new Encoder(3), decoder: new Decoder() }
  return zstdCoders
}

function tooLarge(compression: CompressionType, maxBytes: number, bound?: number): TributaryError {
  const size = bound === undefined ? 'more than' : `up to ${bound} bytes, over the limit of`
  return new TributaryError(
    'TRB_LOG_RECORD_TOO_LARGE',
    `the ${compression} records decompress to ${size} ${maxBytes} bytes; send smaller batches (lower the producer's batch.size)`,
    {
      details: { compression, maxBytes, ...(bound === undefined ? {} : { bound }) },
    },
  )
}

/** `decompress` after checking the frame's bound against the limit. */
function bounded(compression: FramedCompression, decompress: (data: Buffer) => Buffer): (data: Buffer, maxBytes: number) => Buffer {
  return (data, maxBytes) => {
    const bound = decompressedBound(compression, data)
    if (bound > maxBytes) throw tooLarge(compression, maxBytes, bound)
    return decompress(data)
  }
}

function gunzip(data: Buffer, maxBytes: number): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxBytes })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge('gzip', maxBytes)
    throw error
  }
}

export const compressionCodecs: Readonly<Record<CompressionType, CompressionCodec>> = {
  none: { compress: (data) => data, decompress: (data) => data },
  gzip: { compress: (data) => gzipSync(data), decompress: gunzip },
  snappy: { compress: snappyCodec.compress, decompress: bounded('snappy', snappyCodec.decompress) },
  lz4: {
    compress: (data) => lz4().compressFrameSync(data),
    decompress: bounded('lz4', (data) => lz4().decompressFrameSync(data)),
  },
  zstd: {
    compress: (data) => zstd().encoder.encodeSync(data),
    decompress: bounded('zstd', (data) => zstd().decoder.decodeSync(data)),
  },
}
