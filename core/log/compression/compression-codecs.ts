/**
 * The codecs a Kafka record batch may name in attributes bits 0-2, each compressing and
 * decompressing a batch's records section in the format Kafka clients write: gzip (RFC 1952),
 * snappy (snappy-codec.ts), lz4 (the standard LZ4 frame, with independent blocks: Kafka's Java
 * reader decodes each block on its own) and zstd (the standard zstd frame). All are synchronous, so
 * reading a batch stays synchronous and an uncompressed read pays nothing for them. The native
 * modules load on first use.
 */
import { createRequire } from 'node:module'
import { gunzipSync, gzipSync } from 'node:zlib'
import { snappyCodec } from './snappy-codec.ts'

export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'

export interface CompressionCodec {
  compress(data: Buffer): Buffer
  decompress(data: Buffer): Buffer
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

export const compressionCodecs: Readonly<Record<CompressionType, CompressionCodec>> = {
  none: { compress: (data) => data, decompress: (data) => data },
  gzip: { compress: (data) => gzipSync(data), decompress: (data) => gunzipSync(data) },
  snappy: snappyCodec,
  lz4: {
    compress: (data) => lz4().compressFrameSync(data),
    decompress: (data) => lz4().decompressFrameSync(data),
  },
  zstd: {
    compress: (data) => zstd().encoder.encodeSync(data),
    decompress: (data) => zstd().decoder.decodeSync(data),
  },
}
