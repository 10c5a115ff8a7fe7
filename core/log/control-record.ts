/**
 * Transaction markers: the control batches that end a transaction in each partition it wrote to.
 * A read_committed consumer learns from them whether a producer's records before the marker count
 * (COMMIT) or are to be skipped (ABORT), and the log's last stable offset moves past them; so their
 * bytes must be exactly Kafka's.
 *
 * Control batch => a RecordBatch with the control (0x20) and transactional (0x10) attribute bits, the
 * producer id and epoch whose transaction it ends, base sequence -1, uncompressed, and one record:
 *   key => version:int16 (0) type:int16 (0 ABORT, 1 COMMIT; KRaft's own control types are 2+)
 *   value (EndTxnMarker) => version:int16 (0) coordinator_epoch:int32
 * As Kafka does, a key or marker of a later version is read by its version-0 fields; a negative
 * version or a short key or value is malformed.
 */
import { ByteReader } from '../byte-reader.ts'
import { TributaryError } from '../errors.ts'
import {
  ATTR_COMPRESSION_MASK,
  ATTR_CONTROL,
  ATTR_TRANSACTIONAL,
  BATCH_HEADER_BYTES,
  encodeRecordBatch,
  isControlBatch,
  readBatchHeader,
} from './record-batch.ts'

export const ControlRecordType = { Abort: 0, Commit: 1 } as const

export interface EndTxnMarker {
  /** ControlRecordType.Abort or ControlRecordType.Commit. */
  readonly type: number
  /** The epoch of the transaction coordinator that wrote the marker; a stale coordinator's markers are refused. */
  readonly coordinatorEpoch: number
}

const KEY_BYTES = 4
const MARKER_VALUE_BYTES = 6

export function encodeControlRecordKey(type: number): Buffer {
  return versionZero(KEY_BYTES, (key) => key.writeInt16BE(type, 2))
}

/** The control record type a key names. */
export function decodeControlRecordKey(key: Buffer): number {
  checkVersioned(key, KEY_BYTES, 'control record key')
  return key.readInt16BE(2)
}

export function encodeEndTxnMarkerValue(coordinatorEpoch: number): Buffer {
  return versionZero(MARKER_VALUE_BYTES, (value) => value.writeInt32BE(coordinatorEpoch, 2))
}

/** The coordinator epoch an end-transaction marker's value carries. */
export function decodeEndTxnMarkerValue(value: Buffer): number {
  checkVersioned(value, MARKER_VALUE_BYTES, 'end transaction marker')
  return value.readInt32BE(2)
}

/** The whole control batch that commits or aborts `producer`'s transaction in one partition. */
export function encodeEndTxnMarkerBatch(
  marker: EndTxnMarker,
  baseOffset: number,
  producer: { readonly producerId: number; readonly producerEpoch: number },
  timestamp = Date.now(),
): Buffer {
  if (marker.type !== ControlRecordType.Abort && marker.type !== ControlRecordType.Commit)
    throw invalid(`control record type ${marker.type} is not a transaction marker`)
  const record = { key: encodeControlRecordKey(marker.type), value: encodeEndTxnMarkerValue(marker.coordinatorEpoch), timestamp }
  return encodeRecordBatch([record], baseOffset, { ...producer, baseSequence: -1 }, 0, timestamp, ATTR_CONTROL | ATTR_TRANSACTIONAL)
}

/**
 * The control record type of the batch at `pos`, or undefined when it is not a control batch. The
 * caller has checked the batch (checkBatch).
 */
export function controlBatchType(batch: Buffer, pos = 0): number | undefined {
  const record = firstControlRecord(batch, pos)
  return record && decodeControlRecordKey(record.key)
}

/** The marker the batch at `pos` carries, or undefined for a data batch or a control batch of another type. */
export function readEndTxnMarker(batch: Buffer, pos = 0): EndTxnMarker | undefined {
  const record = firstControlRecord(batch, pos)
  if (!record) return undefined
  const type = decodeControlRecordKey(record.key)
  if (type !== ControlRecordType.Abort && type !== ControlRecordType.Commit) return undefined
  if (record.value === null) throw invalid('an end transaction marker without a value')
  return { type, coordinatorEpoch: decodeEndTxnMarkerValue(record.value) }
}

function firstControlRecord(batch: Buffer, pos: number): { key: Buffer; value: Buffer | null } | undefined {
  const header = readBatchHeader(batch, pos)
  if (!isControlBatch(header.attributes)) return undefined
  if ((header.attributes & ATTR_COMPRESSION_MASK) !== 0) throw invalid(`control batch at offset ${header.baseOffset} is compressed`)
  if (header.recordCount < 1) throw invalid(`control batch at offset ${header.baseOffset} has no record`)
  try {
    const reader = new ByteReader(batch, pos + BATCH_HEADER_BYTES, pos + header.sizeBytes)
    reader.varint() // record length
    reader.int8() // record attributes
    reader.varlong() // timestamp delta
    reader.varint() // offset delta
    const key = reader.nullableSlice(reader.varint())
    const value = reader.nullableSlice(reader.varint())
    if (key === null) throw invalid(`control batch at offset ${header.baseOffset} has a record without a key`)
    return { key, value }
  } catch (error) {
    if (error instanceof TributaryError) throw error
    throw invalid(`undecodable control batch at offset ${header.baseOffset}: ${(error as Error).message}`)
  }
}

/** `bytes` bytes: version 0 (int16), then what `fill` writes from byte 2. */
function versionZero(bytes: number, fill: (buf: Buffer) => void): Buffer {
  const buf = Buffer.alloc(bytes)
  buf.writeInt16BE(0, 0)
  fill(buf)
  return buf
}

/** At least the version-0 fields' `bytes`, under a version that is not negative. */
function checkVersioned(buf: Buffer, bytes: number, what: string): void {
  if (buf.length < bytes) throw invalid(`${what} of ${buf.length} bytes`)
  const version = buf.readInt16BE(0)
  if (version < 0) throw invalid(`${what} version ${version}`)
}

function invalid(message: string): TributaryError {
  return new TributaryError('TRB_LOG_INVALID_BATCH', message)
}
