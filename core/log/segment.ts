/**
 * One segment of a partition: `<baseOffset>.log` holding whole record batches back to back, with its
 * sparse offset and time indexes and its aborted-transaction index (`.txnindex`), all written when it
 * closes. The partition is its only writer and decides when it rolls.
 * A read checks each batch's CRC unless the batch lies in the segment's checked prefix: the bytes
 * this process wrote from batches it had checked (or encoded) itself, those recovery's scan
 * verified, and those an earlier read checked. So a batch is checked once after it comes from disk,
 * not again for every consumer that reads it (Kafka does not check on fetch at all).
 */
import fs from 'node:fs'
import path from 'node:path'
import { TributaryError } from '../errors.ts'
import { closeFile, openFile, readAt, syncData, truncateFile, writeAll, writeFileAtomic, type Allocate } from './file-io.ts'
import { OffsetIndex } from './offset-index.ts'
import { BATCH_HEADER_BYTES, BATCH_LOG_OVERHEAD, checkBatch, readBatchHeader } from './record-batch.ts'
import { TimeIndex } from './time-index.ts'
import { TransactionIndex } from './transaction-index.ts'

export type SegmentFileKind = 'log' | 'index' | 'timeindex' | 'txnindex' | 'txnsnapshot'

export function segmentFileName(baseOffset: number, extension: SegmentFileKind): string {
  return `${String(baseOffset).padStart(20, '0')}.${extension}`
}

export interface SegmentBatchMeta {
  readonly baseOffset: number
  readonly lastOffset: number
  readonly maxTimestamp: number
  readonly sizeBytes: number
}

/** What scanning a segment file found: the valid prefix, and why the scan stopped early if it did. */
export interface SegmentScan {
  readonly validBytes: number
  readonly nextOffset: number
  readonly maxTimestamp: number
  readonly offsetIndex: OffsetIndex
  readonly timeIndex: TimeIndex
  readonly problem?: string
}

const SCAN_CHUNK_BYTES = 8 * 1024 * 1024
const FOR_EACH_CHUNK_BYTES = 4 * 1024 * 1024
/**
 * A read goes to the file in pieces of this size at most: a large fetch then reuses memory the
 * allocator has just freed, which stays in the CPU's caches for the CRC check and the socket write,
 * where one read of the whole fetch (10 MB for some consumers) faulted in fresh pages every time.
 */
export const READ_PIECE_BYTES = 1024 * 1024

export class Segment {
  readonly baseOffset: number
  readonly logPath: string
  private readonly directory: string
  private readonly indexIntervalBytes: number
  private fd: number
  private offsetIndex: OffsetIndex
  private timeIndex: TimeIndex
  private bytesSinceIndexEntry = 0
  /** Bytes written to the file. */
  sizeBytes: number
  /** Bytes readers may see: the partition raises it once a write is acknowledged. */
  readableBytes: number
  nextOffset: number
  maxTimestamp: number
  /** Clock time of the first append, for segment.ms rolls. */
  readonly createdAtMs: number
  /** The file's first bytes whose batches are known good: a read does not check them again. */
  private checkedBytes: number
  private activeReads = 0
  private deleted = false
  /** Aborted transactions whose markers this segment holds; in memory, written at seal. */
  transactionIndex = new TransactionIndex()
  /** False until the index is loaded from its file or rebuilt by the partition's replay. */
  transactionIndexKnown = false

  private constructor(init: {
    directory: string
    baseOffset: number
    fd: number
    indexIntervalBytes: number
    sizeBytes: number
    nextOffset: number
    maxTimestamp: number
    offsetIndex: OffsetIndex
    timeIndex: TimeIndex
    createdAtMs: number
    checkedBytes: number
  }) {
    this.directory = init.directory
    this.baseOffset = init.baseOffset
    this.logPath = path.join(init.directory, segmentFileName(init.baseOffset, 'log'))
    this.fd = init.fd
    this.indexIntervalBytes = init.indexIntervalBytes
    this.sizeBytes = init.sizeBytes
    this.readableBytes = init.sizeBytes
    this.nextOffset = init.nextOffset
    this.maxTimestamp = init.maxTimestamp
    this.offsetIndex = init.offsetIndex
    this.timeIndex = init.timeIndex
    this.createdAtMs = init.createdAtMs
    this.checkedBytes = init.checkedBytes
  }

  static async create(directory: string, baseOffset: number, indexIntervalBytes: number, nowMs: number): Promise<Segment> {
    const logPath = path.join(directory, segmentFileName(baseOffset, 'log'))
    const fd = await openFile(logPath, 'w+')
    const segment = new Segment({
      directory,
      baseOffset,
      fd,
      indexIntervalBytes,
      sizeBytes: 0,
      nextOffset: baseOffset,
      maxTimestamp: -1,
      offsetIndex: new OffsetIndex(),
      timeIndex: new TimeIndex(),
      createdAtMs: nowMs,
      checkedBytes: 0,
    })
    segment.transactionIndexKnown = true
    return segment
  }

  /**
   * Opens an existing segment. A closed segment trusts its stored indexes when they fit the file;
   * the active one (`recover`) is scanned batch by batch and cut at the first batch that fails its
   * checks, so a torn write from a crash is never served.
   */
  static async open(
    directory: string,
    baseOffset: number,
    indexIntervalBytes: number,
    recover: boolean,
    nowMs: number,
  ): Promise<{ segment: Segment; truncated?: { fromBytes: number; toBytes: number; problem: string } }> {
    const logPath = path.join(directory, segmentFileName(baseOffset, 'log'))
    const fd = await openFile(logPath, 'r+')
    const fileSize = fs.fstatSync(fd).size
    const stored = recover ? undefined : await loadIndexes(directory, baseOffset, fd, logPath, fileSize)
    const scan = stored ?? (await scanSegment(fd, logPath, baseOffset, fileSize, indexIntervalBytes, recover))
    let truncated: { fromBytes: number; toBytes: number; problem: string } | undefined
    if (scan.validBytes < fileSize) {
      await truncateFile(fd, logPath, scan.validBytes)
      await syncData(fd, logPath)
      truncated = { fromBytes: fileSize, toBytes: scan.validBytes, problem: scan.problem ?? 'trailing bytes' }
    }
    const segment = new Segment({
      directory,
      baseOffset,
      fd,
      indexIntervalBytes,
      sizeBytes: scan.validBytes,
      nextOffset: scan.nextOffset,
      maxTimestamp: scan.maxTimestamp,
      offsetIndex: scan.offsetIndex,
      timeIndex: scan.timeIndex,
      createdAtMs: nowMs,
      // Only recovery's scan checks CRCs; a segment trusted by its stored indexes is checked as it is read.
      checkedBytes: recover ? scan.validBytes : 0,
    })
    if (stored) await segment.loadTransactionIndex()
    return truncated ? { segment, truncated } : { segment }
  }

  /** A closed segment's stored `.txnindex`; when missing or damaged the partition rebuilds it by replay. */
  private async loadTransactionIndex(): Promise<void> {
    try {
      const index = TransactionIndex.deserialize(
        await fs.promises.readFile(path.join(this.directory, segmentFileName(this.baseOffset, 'txnindex'))),
      )
      if (!index) return
      this.transactionIndex = index
      this.transactionIndexKnown = true
    } catch {
      // Absent (a segment closed before transactions were tracked, or a crash mid-seal): replayed.
    }
  }

  get isEmpty(): boolean {
    return this.sizeBytes === 0
  }

  /**
   * Writes batches (already carrying their offsets) at the end of the file. They must be checked or
   * encoded by the caller (the partition takes no other): they join the checked prefix.
   */
  async write(batches: readonly Buffer[], metas: readonly SegmentBatchMeta[]): Promise<void> {
    const position = this.sizeBytes
    const written = await writeAll(this.fd, this.logPath, batches, position)
    let at = position
    for (const meta of metas) {
      this.indexBatch(meta, at)
      at += meta.sizeBytes
    }
    this.sizeBytes = position + written
    if (this.checkedBytes === position) this.checkedBytes = this.sizeBytes
  }

  private indexBatch(meta: SegmentBatchMeta, position: number): void {
    if (meta.maxTimestamp > this.maxTimestamp) this.maxTimestamp = meta.maxTimestamp
    if (this.bytesSinceIndexEntry >= this.indexIntervalBytes || this.offsetIndex.entries === 0) {
      this.offsetIndex.append(meta.baseOffset - this.baseOffset, position)
      this.timeIndex.maybeAppend(this.maxTimestamp, meta.baseOffset)
      this.bytesSinceIndexEntry = 0
    }
    this.bytesSinceIndexEntry += meta.sizeBytes
    this.nextOffset = meta.lastOffset + 1
  }

  sync(): Promise<void> {
    return syncData(this.fd, this.logPath)
  }

  /** Cuts the file back to `sizeBytes` after a failed write, so the log never holds a partial batch. */
  async truncateTo(sizeBytes: number, nextOffset: number): Promise<void> {
    await truncateFile(this.fd, this.logPath, sizeBytes)
    this.sizeBytes = sizeBytes
    this.readableBytes = Math.min(this.readableBytes, sizeBytes)
    this.checkedBytes = Math.min(this.checkedBytes, sizeBytes)
    this.nextOffset = nextOffset
    this.offsetIndex.truncateToPosition(sizeBytes)
    this.timeIndex.truncateToOffset(nextOffset)
  }

  /** Closing for good: fsync the data and persist both indexes next to it. */
  async seal(): Promise<void> {
    await this.sync()
    await writeFileAtomic(
      path.join(this.directory, segmentFileName(this.baseOffset, 'index')),
      this.offsetIndex.serialize(),
      this.directory,
    )
    await writeFileAtomic(
      path.join(this.directory, segmentFileName(this.baseOffset, 'timeindex')),
      this.timeIndex.serialize(this.baseOffset),
      this.directory,
    )
    if (this.transactionIndexKnown) await this.writeTransactionIndex()
  }

  async writeTransactionIndex(): Promise<void> {
    await writeFileAtomic(
      path.join(this.directory, segmentFileName(this.baseOffset, 'txnindex')),
      this.transactionIndex.serialize(),
      this.directory,
    )
  }

  /** File position from which a forward scan reaches `offset`. */
  positionFor(offset: number): number {
    return this.offsetIndex.floorPosition(Math.max(0, offset - this.baseOffset))
  }

  /** File position from which a forward scan reaches the first record with timestamp >= `timestamp`. */
  positionForTimestamp(timestamp: number): number {
    return this.positionFor(this.timeIndex.scanStart(timestamp, this.baseOffset))
  }

  /**
   * Reads whole batches from `position` up to `maxBytes` (at least one batch, however large), within
   * what readers may see. Each batch outside the checked prefix is checked (and the prefix grows
   * over it); a bad one is refused with TRB_LOG_CORRUPT. The bytes go into buffers from `allocate`.
   */
  async readBatches(position: number, maxBytes: number, fromOffset: number, allocate?: Allocate): Promise<Buffer[]> {
    if (this.fd < 0) {
      throw new TributaryError('TRB_LOG_OFFSET_OUT_OF_RANGE', `segment ${this.logPath} was removed by retention or compaction`, {
        details: { file: this.logPath, fromOffset },
      })
    }
    this.activeReads++
    try {
      return await this.readBatchesUnguarded(position, maxBytes, fromOffset, allocate)
    } finally {
      this.activeReads--
      if (this.deleted && this.activeReads === 0) void this.closeQuietly()
    }
  }

  private async readBatchesUnguarded(
    start: number,
    maxBytes: number,
    fromOffset: number,
    allocate: Allocate | undefined,
  ): Promise<Buffer[]> {
    const limit = this.readableBytes
    const batches: Buffer[] = []
    let position = start
    let budget = maxBytes
    while (position < limit) {
      if (batches.length > 0 && budget < BATCH_HEADER_BYTES) break
      const chunk = await readAt(
        this.fd,
        this.logPath,
        Math.min(limit - position, READ_PIECE_BYTES, Math.max(budget, BATCH_HEADER_BYTES)),
        position,
        allocate,
      )
      if (chunk.length < BATCH_HEADER_BYTES) throw this.corrupt(position, `truncated header (${chunk.length} bytes)`)
      let at = 0
      while (chunk.length - at >= BATCH_HEADER_BYTES) {
        const header = readBatchHeader(chunk, at)
        const size = header.sizeBytes
        if (size < BATCH_HEADER_BYTES || position + at + size > limit) {
          throw this.corrupt(position + at, checkBatch(chunk, at) ?? 'batch runs past the end of the readable log')
        }
        if (header.lastOffset < fromOffset) {
          at += size
          continue
        }
        if (batches.length > 0 && size > budget) return batches
        if (size > chunk.length - at) {
          // The batch runs past this piece: read on from it.
          if (at > 0) break
          // A batch larger than a piece, or the first wanted one when it is larger than the budget: read whole.
          const whole = await readAt(this.fd, this.logPath, size, position, allocate)
          this.checkUnlessChecked(whole, position)
          batches.push(whole)
          budget -= size
          at = size
          break
        }
        const batch = chunk.subarray(at, at + size)
        this.checkUnlessChecked(batch, position + at)
        batches.push(batch)
        budget -= size
        at += size
      }
      position += at
    }
    return batches
  }

  /** Visits every readable batch in order, a few MiB read at a time. */
  async forEachBatch(visit: (batch: Buffer) => void | Promise<void>): Promise<void> {
    let position = 0
    while (position < this.readableBytes) {
      const batches = await this.readBatches(position, FOR_EACH_CHUNK_BYTES, 0)
      if (batches.length === 0) break
      for (const batch of batches) {
        await visit(batch)
        position += batch.length
      }
    }
  }

  /** Checks the batch at file `position` unless the checked prefix covers it; one that passes right at the prefix's end extends it. */
  private checkUnlessChecked(batch: Buffer, position: number): void {
    if (position + batch.length <= this.checkedBytes) return
    const problem = checkBatch(batch, 0)
    if (problem !== undefined) throw this.corrupt(position, problem)
    if (position === this.checkedBytes) this.checkedBytes += batch.length
  }

  private corrupt(position: number, problem: string): TributaryError {
    return new TributaryError('TRB_LOG_CORRUPT', `corrupt batch in ${this.logPath} at byte ${position}: ${problem}`, {
      details: { file: this.logPath, position, problem },
    })
  }

  /** Marks the segment gone; the descriptor closes once in-flight reads finish. */
  async delete(): Promise<void> {
    this.deleted = true
    for (const extension of ['log', 'index', 'timeindex', 'txnindex', 'txnsnapshot'] as const) {
      await fs.promises.rm(path.join(this.directory, segmentFileName(this.baseOffset, extension)), { force: true })
    }
    if (this.activeReads === 0) await this.closeQuietly()
  }

  /**
   * Takes the segment out of service without touching its files (compaction has already swapped new
   * files in under the same names); the descriptor closes once in-flight reads finish.
   */
  retire(): void {
    this.deleted = true
    if (this.activeReads === 0) void this.closeQuietly()
  }

  async close(): Promise<void> {
    if (this.fd < 0) return
    const fd = this.fd
    this.fd = -1
    await closeFile(fd, this.logPath)
  }

  private async closeQuietly(): Promise<void> {
    try {
      await this.close()
    } catch {
      // The file is already unlinked; a failed close leaks nothing we can act on.
    }
  }
}

async function loadIndexes(
  directory: string,
  baseOffset: number,
  fd: number,
  logPath: string,
  fileSize: number,
): Promise<SegmentScan | undefined> {
  try {
    const offsetBuf = await fs.promises.readFile(path.join(directory, segmentFileName(baseOffset, 'index')))
    const timeBuf = await fs.promises.readFile(path.join(directory, segmentFileName(baseOffset, 'timeindex')))
    const offsetIndex = OffsetIndex.deserialize(offsetBuf, Math.max(fileSize, 1))
    if (!offsetIndex || fileSize === 0) return undefined
    // The last batch gives the segment's end offset; read forward from the last indexed position.
    const lastIndexed = offsetIndex.floorPosition(0xffffffff)
    const tail = await scanSegment(fd, logPath, baseOffset, fileSize, Number.MAX_SAFE_INTEGER, false, lastIndexed)
    if (tail.validBytes !== fileSize) return undefined
    const timeIndex = TimeIndex.deserialize(timeBuf, baseOffset, tail.nextOffset)
    if (!timeIndex) return undefined
    return {
      validBytes: fileSize,
      nextOffset: tail.nextOffset,
      maxTimestamp: Math.max(timeIndex.lastTimestamp, tail.maxTimestamp),
      offsetIndex,
      timeIndex,
    }
  } catch {
    return undefined
  }
}

/**
 * Walks the batches of a segment file from `start`, rebuilding indexes. With `verify`, each batch's
 * CRC is checked and the walk stops at the first bad one; otherwise only the framing is followed.
 */
export async function scanSegment(
  fd: number,
  logPath: string,
  baseOffset: number,
  fileSize: number,
  indexIntervalBytes: number,
  verify: boolean,
  start = 0,
): Promise<SegmentScan> {
  const scanner = new SegmentScanner(baseOffset, indexIntervalBytes, verify)
  let position = start
  while (position < fileSize && scanner.problem === undefined) {
    let view = await readAt(fd, logPath, Math.min(SCAN_CHUNK_BYTES, fileSize - position), position)
    const size = view.length >= BATCH_HEADER_BYTES ? readBatchHeader(view, 0).sizeBytes : 0
    // A batch larger than the scan chunk is read on its own.
    if (size > view.length && size <= fileSize - position) view = await readAt(fd, logPath, size, position)
    const consumed = scanner.walk(view, position)
    if (consumed === 0 && scanner.problem === undefined) scanner.problem = checkBatch(view, 0) ?? 'unreadable batch'
    position += consumed
  }
  return scanner.result(position)
}

/** The state of one scan: where offsets and timestamps have got to, the rebuilt indexes, the first problem. */
class SegmentScanner {
  readonly offsetIndex = new OffsetIndex()
  readonly timeIndex = new TimeIndex()
  nextOffset: number
  maxTimestamp = -1
  problem: string | undefined
  private sinceIndexEntry: number
  private readonly baseOffset: number
  private readonly indexIntervalBytes: number
  private readonly verify: boolean

  constructor(baseOffset: number, indexIntervalBytes: number, verify: boolean) {
    this.baseOffset = baseOffset
    this.indexIntervalBytes = indexIntervalBytes
    this.verify = verify
    this.nextOffset = baseOffset
    this.sinceIndexEntry = indexIntervalBytes
  }

  /** Tracks every whole batch in `chunk` (found at file position `at`); returns the bytes they span. */
  walk(chunk: Buffer, at: number): number {
    let pos = 0
    while (chunk.length - pos >= BATCH_HEADER_BYTES) {
      const header = readBatchHeader(chunk, pos)
      if (header.sizeBytes < BATCH_HEADER_BYTES) {
        this.problem = `invalid batch length ${header.sizeBytes - BATCH_LOG_OVERHEAD}`
        break
      }
      if (header.sizeBytes > chunk.length - pos) break
      this.problem =
        (this.verify ? checkBatch(chunk, pos, pos + header.sizeBytes) : undefined) ?? offsetProblem(header.baseOffset, this.nextOffset)
      if (this.problem !== undefined) break
      this.maxTimestamp = Math.max(this.maxTimestamp, header.maxTimestamp)
      if (this.sinceIndexEntry >= this.indexIntervalBytes) {
        this.offsetIndex.append(header.baseOffset - this.baseOffset, at + pos)
        this.timeIndex.maybeAppend(this.maxTimestamp, header.baseOffset)
        this.sinceIndexEntry = 0
      }
      this.sinceIndexEntry += header.sizeBytes
      this.nextOffset = header.lastOffset + 1
      pos += header.sizeBytes
    }
    return pos
  }

  result(validBytes: number): SegmentScan {
    const scan = {
      validBytes,
      nextOffset: this.nextOffset,
      maxTimestamp: this.maxTimestamp,
      offsetIndex: this.offsetIndex,
      timeIndex: this.timeIndex,
    }
    return this.problem === undefined ? scan : { ...scan, problem: this.problem }
  }
}

function offsetProblem(batchBaseOffset: number, expectedAtLeast: number): string | undefined {
  return batchBaseOffset < expectedAtLeast ? `batch offset ${batchBaseOffset} goes backwards (expected >= ${expectedAtLeast})` : undefined
}
