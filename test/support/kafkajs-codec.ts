/**
 * kafkajs's own RecordBatch encoder and decoder, reached through its internal modules: an independent
 * implementation to check our bytes against.
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

interface KafkajsRecordInput {
  offsetDelta: number
  timestampDelta: number
  key: Buffer | null
  value: Buffer | null
  headers?: Record<string, Buffer>
}

const Long = require('kafkajs/src/utils/long') as { fromValue(v: number): unknown }
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (args: Record<string, unknown>) => Promise<{ buffer: Buffer }>
}
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (args: KafkajsRecordInput) => unknown
const BatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<KafkajsDecodedBatch>
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown
const { Types: CompressionTypes } = require('kafkajs/src/protocol/message/compression') as { Types: { None: number; GZIP: number } }

export interface KafkajsDecodedBatch {
  firstOffset: string
  inTransaction: boolean
  isControlBatch: boolean
  producerId: string
  producerEpoch: number
  firstSequence: number
  records: Array<{ offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> }>
}

export async function kafkajsEncodeBatch(options: {
  baseOffset: number
  records: ReadonlyArray<{ key: Buffer | null; value: Buffer | null; timestamp: number; headers?: Record<string, Buffer> }>
  gzip?: boolean
}): Promise<Buffer> {
  const first = options.records[0]!.timestamp
  const max = Math.max(...options.records.map((r) => r.timestamp))
  const encoded = await RecordBatch({
    compression: options.gzip ? CompressionTypes.GZIP : CompressionTypes.None,
    firstOffset: Long.fromValue(options.baseOffset),
    firstTimestamp: first,
    maxTimestamp: max,
    partitionLeaderEpoch: -1,
    lastOffsetDelta: options.records.length - 1,
    producerId: Long.fromValue(-1),
    producerEpoch: -1,
    firstSequence: -1,
    records: options.records.map((r, i) =>
      Record({ offsetDelta: i, timestampDelta: r.timestamp - first, key: r.key, value: r.value, headers: r.headers ?? {} }),
    ),
  })
  return encoded.buffer
}

export function kafkajsDecodeBatch(batch: Buffer): Promise<KafkajsDecodedBatch> {
  return BatchDecoder(new Decoder(batch))
}
