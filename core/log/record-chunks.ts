/**
 * Splits records appended in one call into batches that each stay under max.message.bytes, in order,
 * as a Kafka producer splits by batch.size. Sizes are estimated from the uncompressed records, so a
 * batch may come out smaller once compressed; only a single record over the limit makes a batch that
 * is (and the log refuses it).
 */
import type { LogRecord } from './log.ts'

/** RecordBatch v2 header size; the budget left for records in a batch of max.message.bytes. */
const BATCH_OVERHEAD_BYTES = 61

export function chunkRecords(records: readonly LogRecord[], maxBatchBytes: number): LogRecord[][] {
  const budget = Math.max(1, maxBatchBytes - BATCH_OVERHEAD_BYTES)
  const chunks: LogRecord[][] = []
  let chunk: LogRecord[] = []
  let chunkBytes = 0
  for (const record of records) {
    const size = estimatedRecordBytes(record)
    if (chunk.length > 0 && chunkBytes + size > budget) {
      chunks.push(chunk)
      chunk = []
      chunkBytes = 0
    }
    chunk.push(record)
    chunkBytes += size
  }
  chunks.push(chunk)
  return chunks
}

/** An upper estimate of one record's encoded size: lengths plus varint and attribute overhead. */
function estimatedRecordBytes(record: LogRecord): number {
  let size = 24 + (record.key?.length ?? 0) + (record.value?.length ?? 0)
  for (const header of record.headers ?? []) size += 10 + Buffer.byteLength(header.key) + (header.value?.length ?? 0)
  return size
}
