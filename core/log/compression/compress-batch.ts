/**
 * Turns an uncompressed record batch into one whose records section is compressed with a topic's
 * `compression.type`, for the batches the engine writes itself. The header is kept; its length,
 * compression bits and CRC-32C are rewritten (offsets stay outside the CRC, so the log can still
 * assign them afterwards).
 */
import { crc32c } from '@node-rs/crc32'
import { TributaryError } from '../../errors.ts'
import { ATTR_COMPRESSION_MASK, BATCH_HEADER_BYTES, BATCH_LOG_OVERHEAD, BatchField, Compression } from '../record-batch.ts'
import { compressionCodecs, type CompressionType } from './compression-codecs.ts'

export function compressBatch(batch: Buffer, compression: CompressionType): Buffer {
  if (compression === 'none') return batch
  const attributes = batch.readInt16BE(BatchField.attributes)
  if ((attributes & ATTR_COMPRESSION_MASK) !== Compression.none) {
    throw new TributaryError('TRB_LOG_INVALID_BATCH', 'only an uncompressed batch can be compressed')
  }
  const records = compressionCodecs[compression].compress(batch.subarray(BATCH_HEADER_BYTES))
  const out = Buffer.allocUnsafe(BATCH_HEADER_BYTES + records.length)
  batch.copy(out, 0, 0, BATCH_HEADER_BYTES)
  out.set(records, BATCH_HEADER_BYTES)
  out.writeInt32BE(out.length - BATCH_LOG_OVERHEAD, BatchField.batchLength)
  out.writeInt16BE(attributes | Compression[compression], BatchField.attributes)
  out.writeUInt32BE(crc32c(out.subarray(BatchField.attributes)), BatchField.crc)
  return out
}
