/**
 * Kafka RecordBatch v2 (magic 2): the on-disk and on-wire format, so a fetch can send stored bytes as
 * they are.
 *
 * RecordBatch => baseOffset:int64 batchLength:int32 partitionLeaderEpoch:int32 magic:int8 crc:uint32
 *   attributes:int16 lastOffsetDelta:int32 baseTimestamp:int64 maxTimestamp:int64 producerId:int64
 *   producerEpoch:int16 baseSequence:int32 recordCount:int32 [Record]
 * Record => length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint
 *   keyLength:varint key valueLength:varint value headerCount:varint [Header]
 * Header => keyLength:varint key valueLength:varint value
 * The CRC-32C covers everything from attributes to the end; baseOffset, batchLength and the leader
 * epoch are outside it, which is what lets the log assign offsets without recomputing it.
 */
import { crc32c } from '@node-rs/crc32'
import { ByteReader } from '../byte-reader.ts'
import { TributaryError } from '../errors.ts'
import { compressionCodecs, type CompressionType } from './compression/compression-codecs.ts'
import type { RecordHeader, StoredRecord } from './log.ts'
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.ts'

export const BATCH_HEADER_BYTES = 61
/** baseOffset + batchLength: the part of the header not counted in batchLength. */
export const BATCH_LOG_OVERHEAD = 12
const MAGIC = 2
const CRC_START = 21

export const BatchField = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
} as const

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const
const COMPRESSION_NAMES: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']
export const ATTR_COMPRESSION_MASK = 0x07
/**
 * The most a compressed batch's records may decompress to: 64 MiB, far above what a batch within
 * max.message.bytes holds at any real compression ratio, and far below what a crafted one could ask for.
 */
export const MAX_DECOMPRESSED_RECORDS_BYTES = 64 * 1024 * 1024
/** Attribute bits: the batch belongs to a transaction; the batch is a control batch (a transaction marker). */
export const ATTR_TRANSACTIONAL = 0x10
export const ATTR_CONTROL = 0x20

export interface BatchRecordInput {
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers?: readonly RecordHeader[] | undefined
  /** Create time in ms; records without one take the encoder's `defaultTimestamp`. */
  readonly timestamp?: number | undefined
  /** Offset relative to the batch base; defaults to the record's index. Compaction keeps the gaps. */
  readonly offsetDelta?: number
}

export interface BatchProducer {
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
}

const NO_PRODUCER: BatchProducer = { producerId: -1, producerEpoch: -1, baseSequence: -1 }
const NO_HEADERS: readonly RecordHeader[] = Object.freeze([])

export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 0x1_0000_0000 + buf.readUInt32BE(pos + 4)
}

export function writeInt64(buf: Buffer, pos: number, value: number): void {
  const high = Math.floor(value / 0x1_0000_0000)
  buf.writeInt32BE(high, pos)
  buf.writeUInt32BE(value - high * 0x1_0000_0000, pos + 4)
}

function recordBodySize(record: BatchRecordInput, timestampDelta: number, offsetDelta: number): number {
  let size = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta)
  size += record.key === null ? 1 : sizeOfVarint(record.key.length) + record.key.length
  size += record.value === null ? 1 : sizeOfVarint(record.value.length) + record.value.length
  const headers = record.headers ?? NO_HEADERS
  size += sizeOfVarint(headers.length)
  for (const header of headers) {
    const keyBytes = Buffer.byteLength(header.key)
    size += sizeOfVarint(keyBytes) + keyBytes
    size += header.value === null ? 1 : sizeOfVarint(header.value.length) + header.value.length
  }
  return size
}

/**
 * Encodes records into one uncompressed batch with offsets baseOffset + offsetDelta (by default
 * baseOffset, baseOffset+1, …). `lastOffsetDelta` may exceed the last record's delta when compaction
 * removed the batch's tail, as Kafka keeps it. `attributes` carries the transactional and control
 * bits (never a compression id: the records are written uncompressed). `allocate` gives the memory
 * the batch is encoded into, exactly its size.
 */
export function encodeRecordBatch(
  records: readonly BatchRecordInput[],
  baseOffset: number,
  producer: BatchProducer = NO_PRODUCER,
  lastOffsetDelta = records.length - 1,
  defaultTimestamp = Date.now(),
  attributes = 0,
  allocate: (size: number) => Buffer = Buffer.allocUnsafe,
): Buffer {
  if ((attributes & ATTR_COMPRESSION_MASK) !== 0)
    throw new TributaryError('TRB_LOG_INVALID_BATCH', 'the batch encoder writes records uncompressed')
  const count = records.length
  if (count === 0) throw new TributaryError('TRB_LOG_INVALID_BATCH', 'a record batch needs at least one record')
  const baseTimestamp = records[0]!.timestamp ?? defaultTimestamp
  let maxTimestamp = baseTimestamp
  const bodySizes = scratchSizes(count)
  let total = BATCH_HEADER_BYTES
  for (let i = 0; i < count; i++) {
    const record = records[i]!
    const timestamp = record.timestamp ?? defaultTimestamp
    if (timestamp > maxTimestamp) maxTimestamp = timestamp
    const body = recordBodySize(record, timestamp - baseTimestamp, record.offsetDelta ?? i)
    bodySizes[i] = body
    total += sizeOfVarint(body) + body
  }

  const buf = allocate(total)
  writeInt64(buf, BatchField.baseOffset, baseOffset)
  buf.writeInt32BE(total - BATCH_LOG_OVERHEAD, BatchField.batchLength)
  buf.writeInt32BE(-1, BatchField.partitionLeaderEpoch)
  buf.writeInt8(MAGIC, BatchField.magic)
  buf.writeInt16BE(attributes, BatchField.attributes)
  buf.writeInt32BE(lastOffsetDelta, BatchField.lastOffsetDelta)
  writeInt64(buf, BatchField.baseTimestamp, baseTimestamp)
  writeInt64(buf, BatchField.maxTimestamp, maxTimestamp)
  writeInt64(buf, BatchField.producerId, producer.producerId)
  buf.writeInt16BE(producer.producerEpoch, BatchField.producerEpoch)
  buf.writeInt32BE(producer.baseSequence, BatchField.baseSequence)
  buf.writeInt32BE(count, BatchField.recordCount)

  let pos = BATCH_HEADER_BYTES
  for (let i = 0; i < count; i++) {
    const record = records[i]!
    pos = writeVarint(buf, pos, bodySizes[i]!)
    buf[pos++] = 0
    pos = writeVarlong(buf, pos, (record.timestamp ?? defaultTimestamp) - baseTimestamp)
    pos = writeVarint(buf, pos, record.offsetDelta ?? i)
    pos = writeNullableBytes(buf, pos, record.key)
    pos = writeNullableBytes(buf, pos, record.value)
    const headers = record.headers ?? NO_HEADERS
    pos = writeVarint(buf, pos, headers.length)
    for (const header of headers) {
      const keyBytes = Buffer.byteLength(header.key)
      pos = writeVarint(buf, pos, keyBytes)
      pos += buf.write(header.key, pos, 'utf8')
      pos = writeNullableBytes(buf, pos, header.value)
    }
  }
  buf.writeUInt32BE(crc32c(buf.subarray(CRC_START)), BatchField.crc)
  return buf
}

/** One reusable array for record sizes: encoding runs to completion, so nothing else holds it meanwhile. */
let sizes = new Int32Array(1024)
function scratchSizes(count: number): Int32Array {
  if (sizes.length < count) sizes = new Int32Array(count * 2)
  return sizes
}

function writeNullableBytes(buf: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(buf, pos, -1)
  pos = writeVarint(buf, pos, bytes.length)
  // TypedArray.set beats Buffer.copy for the small values typical here.
  buf.set(bytes, pos)
  return pos + bytes.length
}

export interface BatchHeader {
  readonly baseOffset: number
  /** Size of the whole batch in bytes, header included. */
  readonly sizeBytes: number
  readonly lastOffset: number
  readonly baseTimestamp: number
  readonly maxTimestamp: number
  readonly recordCount: number
  readonly attributes: number
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
}

/** Reads the fixed header at `pos`. The caller checks that BATCH_HEADER_BYTES are present. */
export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  const baseOffset = readInt64(buf, pos + BatchField.baseOffset)
  return {
    baseOffset,
    sizeBytes: buf.readInt32BE(pos + BatchField.batchLength) + BATCH_LOG_OVERHEAD,
    lastOffset: baseOffset + buf.readInt32BE(pos + BatchField.lastOffsetDelta),
    baseTimestamp: readInt64(buf, pos + BatchField.baseTimestamp),
    maxTimestamp: readInt64(buf, pos + BatchField.maxTimestamp),
    recordCount: buf.readInt32BE(pos + BatchField.recordCount),
    attributes: buf.readInt16BE(pos + BatchField.attributes),
    producerId: readInt64(buf, pos + BatchField.producerId),
    producerEpoch: buf.readInt16BE(pos + BatchField.producerEpoch),
    baseSequence: buf.readInt32BE(pos + BatchField.baseSequence),
  }
}

/** Why the batch at `pos` cannot be trusted, or undefined when its framing and CRC check out. */
export function checkBatch(buf: Buffer, pos: number, end = buf.length): string | undefined {
  if (end - pos < BATCH_HEADER_BYTES) return `truncated header (${end - pos} bytes)`
  const batchLength = buf.readInt32BE(pos + BatchField.batchLength)
  if (batchLength < BATCH_HEADER_BYTES - BATCH_LOG_OVERHEAD) return `invalid batch length ${batchLength}`
  const size = batchLength + BATCH_LOG_OVERHEAD
  if (end - pos < size) return `truncated batch (${end - pos} of ${size} bytes)`
  const magic = buf.readInt8(pos + BatchField.magic)
  if (magic !== MAGIC) return `unsupported magic ${magic}`
  const stored = buf.readUInt32BE(pos + BatchField.crc)
  const actual = crc32c(buf.subarray(pos + CRC_START, pos + size))
  if (stored !== actual) return `CRC mismatch (stored ${stored.toString(16)}, computed ${actual.toString(16)})`
  const lastOffsetDelta = buf.readInt32BE(pos + BatchField.lastOffsetDelta)
  const count = buf.readInt32BE(pos + BatchField.recordCount)
  if (lastOffsetDelta < 0 || count < 0 || count > lastOffsetDelta + 1)
    return `inconsistent record count ${count} for offset delta ${lastOffsetDelta}`
  return undefined
}

export function setBaseOffset(buf: Buffer, pos: number, baseOffset: number): void {
  writeInt64(buf, pos + BatchField.baseOffset, baseOffset)
}

export function isControlBatch(attributes: number): boolean {
  return (attributes & ATTR_CONTROL) !== 0
}

export function isTransactionalBatch(attributes: number): boolean {
  return (attributes & ATTR_TRANSACTIONAL) !== 0
}

/** The batch's codec, or undefined for the ids (5-7) Kafka does not define. */
export function compressionOf(attributes: number): CompressionType | undefined {
  return COMPRESSION_NAMES[attributes & ATTR_COMPRESSION_MASK]
}

/**
 * Appends the records of one checked batch with offset >= fromOffset to `out`. Keys, values and header
 * values are views into `batch` (or its decompressed copy): no per-record copies.
 */
export function decodeBatchRecords(batch: Buffer, topic: string, partition: number, fromOffset: number, out: StoredRecord[]): void {
  try {
    decodeInto(batch, topic, partition, fromOffset, out)
  } catch (error) {
    if (error instanceof TributaryError) throw error
    throw invalid(`undecodable batch in ${topic}-${partition}: ${(error as Error).message}`)
  }
}

function decodeInto(batch: Buffer, topic: string, partition: number, fromOffset: number, out: StoredRecord[]): void {
  const header = readBatchHeader(batch, 0)
  if (isControlBatch(header.attributes)) return
  const body = recordsSection(batch, header)
  const reader = new ByteReader(body, 0, body.length)
  for (let i = 0; i < header.recordCount; i++) {
    const length = reader.varint()
    const recordEnd = reader.pos + length
    reader.int8()
    const timestamp = header.baseTimestamp + reader.varlong()
    const offset = header.baseOffset + reader.varint()
    const key = reader.nullableSlice(reader.varint())
    const value = reader.nullableSlice(reader.varint())
    const headerCount = reader.varint()
    let headers = NO_HEADERS
    if (headerCount > 0) {
      const list: RecordHeader[] = []
      for (let h = 0; h < headerCount; h++) {
        const headerKey = reader.nullableSlice(reader.varint())
        list.push({ key: headerKey === null ? '' : headerKey.toString('utf8'), value: reader.nullableSlice(reader.varint()) })
      }
      headers = list
    }
    if (reader.pos !== recordEnd) throw invalid(`record at offset ${offset} has length ${length} but its fields end elsewhere`)
    if (offset >= fromOffset) out.push({ topic, partition, offset, timestamp, key, value, headers })
  }
}

function recordsSection(batch: Buffer, header: BatchHeader): Buffer {
  const raw = batch.subarray(BATCH_HEADER_BYTES, header.sizeBytes)
  const compression = compressionOf(header.attributes)
  if (compression === 'none') return raw
  if (compression === undefined) {
    throw invalid(
      `batch at offset ${header.baseOffset} names compression id ${header.attributes & ATTR_COMPRESSION_MASK}, which Kafka does not define`,
    )
  }
  try {
    return compressionCodecs[compression].decompress(raw, MAX_DECOMPRESSED_RECORDS_BYTES)
  } catch (error) {
    if (error instanceof TributaryError) throw error
    throw invalid(`batch at offset ${header.baseOffset} does not decompress as ${compression}: ${(error as Error).message}`)
  }
}

function invalid(message: string): TributaryError {
  return new TributaryError('TRB_LOG_INVALID_BATCH', message)
}
