/**
 * Log compaction for `cleanup.policy: compact`: keeps the newest record of each key in the closed
 * segments and drops tombstones older than `delete.retention.ms`. Only closed segments are rewritten,
 * so appends to the active segment never wait; offsets are kept, leaving gaps where records went.
 *
 * Transactions, as Kafka's cleaner treats them: only segments wholly below the last stable offset are
 * cleaned, so no undecided record is ever judged; records of aborted transactions are dropped and
 * never count as a key's newest; committed ones compact like any record and keep their
 * transactional bit; every transaction marker is kept (Kafka drops a marker only once its
 * transaction's records are all gone and delete.retention.ms has passed; here markers stay), and
 * each rewritten segment gets the aborted-transaction entries of the markers it holds.
 *
 * Cleaned segments take the old ones' place in a crash-safe swap (compaction-swap.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import { closeFile, openFile, syncData, writeAll, writeFileAtomic } from './file-io.ts'
import type { StoredRecord } from './log.ts'
import type { Partition } from './partition.ts'
import {
  ATTR_TRANSACTIONAL,
  compressionOf,
  decodeBatchRecords,
  encodeRecordBatch,
  isControlBatch,
  isTransactionalBatch,
  readBatchHeader,
  type BatchHeader,
  type BatchRecordInput,
} from './record-batch.ts'
import type { AbortedTxn } from './transaction-index.ts'
import { compressBatch } from './compression/compress-batch.ts'
import { CLEANED, commitSwap, type SwapManifest } from './compaction-swap.ts'
import { Segment, segmentFileName } from './segment.ts'
import type { TopicConfig } from './topic-config.ts'

const CHECKPOINT = 'cleaner-checkpoint.json'

export interface CompactionResult {
  readonly segmentsBefore: number
  readonly segmentsAfter: number
  readonly recordsBefore: number
  readonly recordsAfter: number
  readonly bytesBefore: number
  readonly bytesAfter: number
}

/**
 * Most memory one pass spends on its map of keys to newest offsets, as Kafka's
 * log.cleaner.dedupe.buffer.size bounds its cleaner: a partition with more distinct keys in its dirty
 * part is cleaned over several passes, each up to the segment where the map filled.
 */
export const DEFAULT_COMPACTION_MAP_BYTES = 128 * 1024 * 1024
/** What a key costs in the map besides its bytes (the entry, the string, the offset). */
const MAP_ENTRY_OVERHEAD_BYTES = 64

/** Compacts the partition's closed segments when enough of them is dirty; undefined when it did nothing. */
export async function compactPartition(
  partition: Partition,
  config: TopicConfig,
  nowMs: number,
  mapBytes = DEFAULT_COMPACTION_MAP_BYTES,
): Promise<CompactionResult | undefined> {
  const cleanable = cleanableSegments(partition.closedSegments, config, nowMs).filter((s) => s.nextOffset <= partition.lastStableOffset)
  if (cleanable.length === 0) return undefined
  const cleanedUpTo = await readCheckpoint(partition.directory)
  if (cleanable[cleanable.length - 1]!.nextOffset <= cleanedUpTo) return undefined
  const totalBytes = cleanable.reduce((sum, s) => sum + s.sizeBytes, 0)
  const dirtyBytes = cleanable.filter((s) => s.nextOffset > cleanedUpTo).reduce((sum, s) => sum + s.sizeBytes, 0)
  if (totalBytes === 0 || dirtyBytes / totalBytes < config['min.cleanable.dirty.ratio']) return undefined

  const aborted = partition.abortedTransactionsOverlapping(cleanable[0]!.baseOffset, cleanable[cleanable.length - 1]!.nextOffset)
  const fate = batchFates(aborted)
  const { latest, segments: candidates } = await latestOffsetPerKey(partition, cleanable, cleanedUpTo, mapBytes, fate)
  const endOffset = candidates[candidates.length - 1]!.nextOffset
  const tombstoneHorizon = nowMs - config['delete.retention.ms']
  const logStartOffset = partition.logStartOffset
  const keep = (record: StoredRecord): boolean => {
    // Deleted by DeleteRecords: never served again, so never copied.
    if (record.offset < logStartOffset) return false
    if (record.key === null) return true
    const newest = latest.get(record.key.toString('latin1'))
    if (newest !== undefined && newest !== record.offset) return false
    return record.value !== null || record.timestamp >= tombstoneHorizon
  }

  const outputs = await writeCleanedSegments(partition, candidates, keep, config['segment.bytes'], fate)
  const manifest: SwapManifest = { oldBases: candidates.map((s) => s.baseOffset), newBases: outputs.map((o) => o.baseOffset) }
  await commitSwap(partition.directory, manifest)
  const interval = config['index.interval.bytes']
  const replacements: Segment[] = []
  const markers = candidates.flatMap((s) => s.transactionIndex.all)
  for (const [i, base] of manifest.newBases.entries()) {
    const { segment } = await Segment.open(partition.directory, base, interval, false, nowMs)
    const end = manifest.newBases[i + 1] ?? endOffset
    for (const entry of markers) if (entry.lastOffset >= base && entry.lastOffset < end) segment.transactionIndex.append(entry)
    segment.transactionIndexKnown = true
    await segment.seal()
    replacements.push(segment)
  }
  partition.replaceSegments(candidates, replacements)
  for (const old of candidates) old.retire()
  await writeCheckpoint(partition.directory, endOffset)
  return {
    segmentsBefore: candidates.length,
    segmentsAfter: replacements.length,
    recordsBefore: outputs.reduce((sum, o) => sum + o.recordsIn, 0),
    recordsAfter: outputs.reduce((sum, o) => sum + o.recordsOut, 0),
    bytesBefore: totalBytes,
    bytesAfter: replacements.reduce((sum, s) => sum + s.sizeBytes, 0),
  }
}

/** Closed segments old enough for min.compaction.lag.ms, from the start, stopping at the first too young. */
function cleanableSegments(closed: readonly Segment[], config: TopicConfig, nowMs: number): Segment[] {
  const lagHorizon = nowMs - config['min.compaction.lag.ms']
  const result: Segment[] = []
  for (const segment of closed) {
    if (segment.maxTimestamp > lagHorizon) break
    result.push(segment)
  }
  return result
}

type BatchFate = 'live' | 'marker' | 'aborted'

/** Whether a batch is a transaction marker, part of an aborted transaction, or records that count. */
function batchFates(aborted: readonly AbortedTxn[]): (header: BatchHeader) => BatchFate {
  const byProducer = new Map<number, AbortedTxn[]>()
  for (const txn of aborted) byProducer.set(txn.producerId, [...(byProducer.get(txn.producerId) ?? []), txn])
  return (header) => {
    if (isControlBatch(header.attributes)) return 'marker'
    if (!isTransactionalBatch(header.attributes)) return 'live'
    const txns = byProducer.get(header.producerId) ?? []
    return txns.some((txn) => txn.firstOffset <= header.baseOffset && header.baseOffset <= txn.lastOffset) ? 'aborted' : 'live'
  }
}

/**
 * The newest offset of every key in the dirty part (offsets >= cleanedUpTo) of the candidates, and
 * the candidates this pass cleans: up to the last dirty segment read before the map passed
 * `mapBytes` (at least one, so every pass gets on).
 */
async function latestOffsetPerKey(
  partition: Partition,
  candidates: readonly Segment[],
  cleanedUpTo: number,
  mapBytes: number,
  fate: (header: BatchHeader) => BatchFate,
): Promise<{ latest: Map<string, number>; segments: Segment[] }> {
  const latest = new Map<string, number>()
  const segments: Segment[] = []
  let used = 0
  let readDirty = false
  for (const segment of candidates) {
    if (segment.nextOffset > cleanedUpTo) {
      if (readDirty && used >= mapBytes) break
      readDirty = true
      await segment.forEachBatch((batch) => {
        if (fate(readBatchHeader(batch, 0)) !== 'live') return
        const records: StoredRecord[] = []
        decodeBatchRecords(batch, partition.topic, partition.partition, cleanedUpTo, records)
        for (const record of records) {
          if (record.key === null) continue
          const key = record.key.toString('latin1')
          if (!latest.has(key)) used += key.length + MAP_ENTRY_OVERHEAD_BYTES
          latest.set(key, record.offset)
        }
      })
    }
    segments.push(segment)
  }
  return { latest, segments }
}

interface CleanedOutput {
  readonly baseOffset: number
  recordsIn: number
  recordsOut: number
}

/**
 * Rewrites the candidates' surviving records into `<base>.cleaned` files, merging neighbours while
 * they fit in segment.bytes. The first output keeps the first segment's base, so the log start holds.
 */
async function writeCleanedSegments(
  partition: Partition,
  candidates: readonly Segment[],
  keep: (record: StoredRecord) => boolean,
  segmentBytes: number,
  fate: (header: BatchHeader) => BatchFate,
): Promise<CleanedOutput[]> {
  const outputs: CleanedOutput[] = []
  let current: { output: CleanedOutput; fd: number; file: string; size: number } | undefined
  const open = async (baseOffset: number) => {
    const file = path.join(partition.directory, segmentFileName(baseOffset, 'log') + CLEANED)
    const output: CleanedOutput = { baseOffset, recordsIn: 0, recordsOut: 0 }
    outputs.push(output)
    current = { output, fd: await openFile(file, 'w'), file, size: 0 }
  }
  const finish = async () => {
    if (!current) return
    await syncData(current.fd, current.file)
    await closeFile(current.fd, current.file)
    current = undefined
  }
  const write = async (baseOffset: number, cleaned: Buffer) => {
    if (current!.size > 0 && current!.size + cleaned.length > segmentBytes) {
      await finish()
      await open(baseOffset)
    }
    await writeAll(current!.fd, current!.file, [cleaned], current!.size)
    current!.size += cleaned.length
  }
  await open(candidates[0]!.baseOffset)
  for (const segment of candidates) {
    // Each surviving batch is written as it is made: a segment's worth never waits in memory.
    await segment.forEachBatch(async (batch) => {
      const header = readBatchHeader(batch, 0)
      const batchFate = fate(header)
      if (batchFate === 'marker') return write(header.baseOffset, batch)
      if (batchFate === 'aborted') {
        current!.output.recordsIn += header.recordCount
        return
      }
      const records: StoredRecord[] = []
      decodeBatchRecords(batch, partition.topic, partition.partition, 0, records)
      current!.output.recordsIn += records.length
      const survivors = records.filter(keep)
      if (survivors.length === 0) return
      current!.output.recordsOut += survivors.length
      const inputs: BatchRecordInput[] = survivors.map((r) => ({
        key: r.key,
        value: r.value,
        headers: r.headers,
        timestamp: r.timestamp,
        offsetDelta: r.offset - header.baseOffset,
      }))
      const producer = { producerId: header.producerId, producerEpoch: header.producerEpoch, baseSequence: header.baseSequence }
      // A compressed batch stays compressed with its own codec, as Kafka's cleaner keeps it.
      const encoded = encodeRecordBatch(
        inputs,
        header.baseOffset,
        producer,
        header.lastOffset - header.baseOffset,
        undefined,
        header.attributes & ATTR_TRANSACTIONAL,
      )
      await write(header.baseOffset, compressBatch(encoded, compressionOf(header.attributes) ?? 'none'))
    })
  }
  await finish()
  return outputs
}

async function readCheckpoint(directory: string): Promise<number> {
  try {
    const parsed = JSON.parse(await fs.promises.readFile(path.join(directory, CHECKPOINT), 'utf8')) as { cleanedUpTo?: unknown }
    return typeof parsed.cleanedUpTo === 'number' ? parsed.cleanedUpTo : 0
  } catch {
    return 0
  }
}

function writeCheckpoint(directory: string, cleanedUpTo: number): Promise<void> {
  return writeFileAtomic(path.join(directory, CHECKPOINT), JSON.stringify({ cleanedUpTo }), directory)
}
